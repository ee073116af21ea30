using Backcall.Core.Storage;
using Backcall.Core.Tokens;

namespace Backcall.Core.SignIn;

/// <summary>Operator actions on sign-in clients, shared by the CLI, the admin API and the console.</summary>
public sealed class ClientAdmin(ISignInStore store, TokenAdmin tokens, TimeProvider time)
{
    /// <summary>
    /// Registers a client. Without <paramref name="tokenId"/> a token of its own is created for it (named after
    /// it, default quota), so that its sign-ins are counted and limited apart from every other app's.
    /// </summary>
    /// <returns>
    /// The client and its secret (null for a public client); null when <paramref name="tokenId"/> names no token.
    /// </returns>
    /// <exception cref="ArgumentException">A name or redirect URI is not acceptable; the message says why.</exception>
    /// <param name="justCall">Whether its page offers "just call" (<see cref="SignInClient.JustCall"/>).</param>
    public async Task<CreatedClient?> CreateAsync(
        string name,
        IReadOnlyList<string> redirectUris,
        bool isPublic,
        long? tokenId = null,
        bool justCall = true,
        CancellationToken cancellationToken = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > 100)
        {
            throw new ArgumentException("client name must be 1 to 100 characters", nameof(name));
        }

        var uris = RedirectUris.Validate(redirectUris);
        long token;
        if (tokenId is { } id)
        {
            if (await tokens.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
            {
                return null;
            }

            token = id;
        }
        else
        {
            token = (await tokens.CreateAsync("sign-in: " + name, cancellationToken: cancellationToken)
                .ConfigureAwait(false)).Token.Id;
        }

        var secret = isPublic ? null : NewSecret();
        var client = new SignInClient
        {
            ClientId = "bc-" + TokenSecrets.NewKey(12),
            Name = name,
            RedirectUris = uris,
            IsPublic = isPublic,
            SecretHash = secret is null ? null : TokenSecrets.Hash(secret),
            TokenId = token,
            CreatedAt = time.GetUtcNow(),
            JustCall = justCall,
        };
        if (!await store.CreateClientAsync(client, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("a client id collided; run the command again");
        }

        return new CreatedClient(client, secret);
    }

    public Task<IReadOnlyList<SignInClient>> ListAsync(CancellationToken cancellationToken = default) =>
        store.ListClientsAsync(cancellationToken);

    public Task<SignInClient?> GetAsync(string clientId, CancellationToken cancellationToken = default) =>
        store.GetClientAsync(clientId, cancellationToken);

    public Task<SignInClient?> SetDisabledAsync(
        string clientId, bool disabled, CancellationToken cancellationToken = default) =>
        store.UpdateClientAsync(clientId, new ClientChange(Disabled: disabled), cancellationToken);

    /// <summary>Turns "just call" on or off for a client; the page and the server follow at once.</summary>
    public Task<SignInClient?> SetJustCallAsync(
        string clientId, bool enabled, CancellationToken cancellationToken = default) =>
        store.UpdateClientAsync(clientId, new ClientChange(JustCall: enabled), cancellationToken);

    public Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken = default) =>
        store.RemoveClientAsync(clientId, cancellationToken);

    /// <summary>Replaces a confidential client's secret at once (the old one stops working).</summary>
    /// <returns>Null when no such client.</returns>
    /// <exception cref="ArgumentException">The client is public: it has no secret.</exception>
    public async Task<CreatedClient?> RotateSecretAsync(string clientId, CancellationToken cancellationToken = default)
    {
        var client = await store.GetClientAsync(clientId, cancellationToken).ConfigureAwait(false);
        if (client is null)
        {
            return null;
        }

        if (client.IsPublic)
        {
            throw new ArgumentException($"client {clientId} is public: it has no secret to rotate");
        }

        var secret = NewSecret();
        var changed = await store
            .UpdateClientAsync(clientId, new ClientChange(SecretHash: TokenSecrets.Hash(secret)), cancellationToken)
            .ConfigureAwait(false);
        return changed is null ? null : new CreatedClient(changed, secret);
    }

    /// <summary>Whether <paramref name="secret"/> is the client's, compared in constant time.</summary>
    public static bool SecretMatches(SignInClient client, string? secret) =>
        client.SecretHash is { } hash && !string.IsNullOrEmpty(secret)
        && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(hash), System.Text.Encoding.ASCII.GetBytes(TokenSecrets.Hash(secret)));

    private static string NewSecret() => "bcs_" + TokenSecrets.NewKey(32);
}
