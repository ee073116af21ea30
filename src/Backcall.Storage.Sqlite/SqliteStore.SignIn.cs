using Backcall.Core.SignIn;
using Dapper;
using Microsoft.Data.Sqlite;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Sqlite;

/// <summary>The sign-in provider's clients, keys and redeemed grants.</summary>
public sealed partial class SqliteStore
{
    private const string ClientColumns = "client_id, name, redirect_uris, public, secret_hash, token_id, disabled, created_at";

    public Task<bool> CreateClientAsync(SignInClient client, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c => c.Execute(
            $"""
            INSERT INTO signin_clients ({ClientColumns})
            VALUES (@ClientId, @Name, @Uris, @Public, @SecretHash, @TokenId, @Disabled, @CreatedAt)
            ON CONFLICT (client_id) DO NOTHING
            """,
            new
            {
                client.ClientId,
                client.Name,
                Uris = SignInClientRow.JoinUris(client.RedirectUris),
                Public = client.IsPublic ? 1 : 0,
                client.SecretHash,
                client.TokenId,
                Disabled = client.Disabled ? 1 : 0,
                CreatedAt = Ms(client.CreatedAt),
            }) == 1, cancellationToken);

    public async Task<IReadOnlyList<SignInClient>> ListClientsAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<SignInClientRow>($"SELECT {ClientColumns} FROM signin_clients ORDER BY created_at, client_id").ConfigureAwait(false);
        return [.. rows.Select(r => r.ToClient())];
    }

    public async Task<SignInClient?> GetClientAsync(string clientId, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        return ReadClient(c, clientId);
    }

    public Task<SignInClient?> UpdateClientAsync(string clientId, ClientChange change, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var n = c.Execute(
                """
                UPDATE signin_clients SET
                    disabled = COALESCE(@Disabled, disabled),
                    secret_hash = COALESCE(@SecretHash, secret_hash)
                WHERE client_id = @clientId
                """,
                new { clientId, Disabled = change.Disabled is null ? (int?)null : change.Disabled.Value ? 1 : 0, change.SecretHash });
            return n == 0 ? null : ReadClient(c, clientId);
        }, cancellationToken);

    public Task<bool> RemoveClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c => c.Execute("DELETE FROM signin_clients WHERE client_id = @clientId", new { clientId }) == 1, cancellationToken);

    public async Task<IReadOnlyList<SignInKey>> ListSignInKeysAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<SignInKeyRow>("SELECT * FROM signin_keys ORDER BY created_at, kid").ConfigureAwait(false);
        return [.. rows.Select(r => r.ToKey())];
    }

    public Task AddSignInKeyAsync(SignInKey key, DateTimeOffset? retireOthersAt, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            if (retireOthersAt is { } retire)
            {
                c.Execute(
                    "UPDATE signin_keys SET retires_at = @t WHERE use = @use AND retires_at IS NULL",
                    new { t = Ms(retire), use = (int)key.Use });
            }

            c.Execute(
                """
                INSERT INTO signin_keys (kid, use, protected_key, created_at, activates_at, retires_at)
                VALUES (@KeyId, @Use, @ProtectedKey, @CreatedAt, @ActivatesAt, @RetiresAt)
                """,
                new
                {
                    key.KeyId,
                    Use = (int)key.Use,
                    key.ProtectedKey,
                    CreatedAt = Ms(key.CreatedAt),
                    ActivatesAt = Ms(key.ActivatesAt),
                    RetiresAt = Ms(key.RetiresAt),
                });
            return 0;
        }, cancellationToken);

    public Task<bool> TryRedeemAsync(string grantId, DateTimeOffset keepUntil, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c => c.Execute(
            "INSERT INTO signin_redeemed (grant_id, keep_until) VALUES (@grantId, @t) ON CONFLICT (grant_id) DO NOTHING",
            new { grantId, t = Ms(keepUntil) }) == 1, cancellationToken);

    private static SignInClient? ReadClient(SqliteConnection c, string clientId) =>
        c.QuerySingleOrDefault<SignInClientRow>($"SELECT {ClientColumns} FROM signin_clients WHERE client_id = @clientId", new { clientId })?.ToClient();
}
