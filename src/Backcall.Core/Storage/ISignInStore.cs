using Backcall.Core.SignIn;

namespace Backcall.Core.Storage;

/// <summary>What the OpenID Connect provider keeps: its clients, its keys, and the grants already redeemed.</summary>
public interface ISignInStore
{
    /// <summary>Inserts a client; false when its id is taken.</summary>
    Task<bool> CreateClientAsync(SignInClient client, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SignInClient>> ListClientsAsync(CancellationToken cancellationToken = default);

    Task<SignInClient?> GetClientAsync(string clientId, CancellationToken cancellationToken = default);

    /// <summary>Applies a change; null when no such client.</summary>
    Task<SignInClient?> UpdateClientAsync(
        string clientId,
        ClientChange change,
        CancellationToken cancellationToken = default);

    Task<bool> RemoveClientAsync(string clientId, CancellationToken cancellationToken = default);

    /// <summary>Every key, retired ones included, oldest first.</summary>
    Task<IReadOnlyList<SignInKey>> ListSignInKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: inserts the key, and gives every other key of its use that has no retirement yet
    /// the time <paramref name="retireOthersAt"/> (none when null: the first key of its use).
    /// </summary>
    Task AddSignInKeyAsync(
        SignInKey key,
        DateTimeOffset? retireOthersAt,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a one-time grant (an authorization code, a finished sign-in) was used. True the first time
    /// only, on every node: a replay finds the row and is refused. Rows go after <paramref name="keepUntil"/>.
    /// </summary>
    Task<bool> TryRedeemAsync(string grantId, DateTimeOffset keepUntil, CancellationToken cancellationToken = default);
}
