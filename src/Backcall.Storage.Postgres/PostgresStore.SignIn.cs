using Backcall.Core.SignIn;
using Dapper;
using Npgsql;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Postgres;

/// <summary>The sign-in provider's clients, keys and redeemed grants.</summary>
public sealed partial class PostgresStore
{
    private const string ClientColumns = "client_id, name, redirect_uris, public, secret_hash, token_id, disabled, created_at";

    public async Task<bool> CreateClientAsync(SignInClient client, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(Cmd(
            $"""
            INSERT INTO signin_clients ({ClientColumns})
            VALUES (@ClientId, @Name, @Uris, @IsPublic, @SecretHash, @TokenId, @Disabled, @CreatedAt)
            ON CONFLICT (client_id) DO NOTHING
            """,
            new
            {
                client.ClientId,
                client.Name,
                Uris = SignInClientRow.JoinUris(client.RedirectUris),
                client.IsPublic,
                client.SecretHash,
                client.TokenId,
                client.Disabled,
                CreatedAt = Ms(client.CreatedAt),
            },
            null,
            cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<SignInClient>> ListClientsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<SignInClientRow>(Cmd(
            $"SELECT {ClientColumns} FROM signin_clients ORDER BY created_at, client_id", null, null, cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToClient())];
    }

    public async Task<SignInClient?> GetClientAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadClientAsync(c, clientId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SignInClient?> UpdateClientAsync(string clientId, ClientChange change, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var n = await c.ExecuteAsync(Cmd(
            """
            UPDATE signin_clients SET
                disabled = COALESCE(@Disabled, disabled),
                secret_hash = COALESCE(@SecretHash, secret_hash)
            WHERE client_id = @clientId
            """,
            new { clientId, change.Disabled, change.SecretHash },
            null,
            cancellationToken)).ConfigureAwait(false);
        return n == 0 ? null : await ReadClientAsync(c, clientId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveClientAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(Cmd("DELETE FROM signin_clients WHERE client_id = @clientId", new { clientId }, null, cancellationToken))
            .ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<SignInKey>> ListSignInKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<SignInKeyRow>(Cmd("SELECT * FROM signin_keys ORDER BY created_at, kid", null, null, cancellationToken))
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToKey())];
    }

    public Task AddSignInKeyAsync(SignInKey key, DateTimeOffset? retireOthersAt, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            if (retireOthersAt is { } retire)
            {
                await c.ExecuteAsync(Cmd(
                    "UPDATE signin_keys SET retires_at = @t WHERE use = @use AND retires_at IS NULL",
                    new { t = Ms(retire), use = (int)key.Use },
                    tx,
                    ct)).ConfigureAwait(false);
            }

            await c.ExecuteAsync(Cmd(
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
                },
                tx,
                ct)).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    public async Task<bool> TryRedeemAsync(string grantId, DateTimeOffset keepUntil, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(Cmd(
            "INSERT INTO signin_redeemed (grant_id, keep_until) VALUES (@grantId, @t) ON CONFLICT (grant_id) DO NOTHING",
            new { grantId, t = Ms(keepUntil) },
            null,
            cancellationToken)).ConfigureAwait(false) == 1;
    }

    private static async Task<SignInClient?> ReadClientAsync(NpgsqlConnection c, string clientId, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<SignInClientRow>(Cmd(
            $"SELECT {ClientColumns} FROM signin_clients WHERE client_id = @clientId", new { clientId }, null, ct)).ConfigureAwait(false))?.ToClient();
}
