using Backcall.Core.SignIn;
using Dapper;
using Npgsql;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;
using static Backcall.Storage.SharedQueries;

namespace Backcall.Storage.Postgres;

/// <summary>The sign-in provider's clients, keys and redeemed grants.</summary>
public sealed partial class PostgresStore
{
    public async Task<bool> CreateClientAsync(SignInClient client, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(Cmd(InsertClient, ClientRow(client), null, cancellationToken)).ConfigureAwait(false)
            == 1;
    }

    public async Task<IReadOnlyList<SignInClient>> ListClientsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<SignInClientRow>(Cmd(ListClients, null, null, cancellationToken))
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToClient())];
    }

    public async Task<SignInClient?> GetClientAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadClientAsync(c, clientId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SignInClient?> UpdateClientAsync(
        string clientId,
        ClientChange change,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var n = await c.ExecuteAsync(
                Cmd(
                    UpdateClient,
                    new
                    {
                        clientId,
                        change.Disabled,
                        change.SecretHash,
                        change.JustCall,
                    },
                    null,
                    cancellationToken))
            .ConfigureAwait(false);
        return n == 0 ? null : await ReadClientAsync(c, clientId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveClientAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(
                    Cmd(
                        "DELETE FROM signin_clients WHERE client_id = @clientId",
                        new { clientId },
                        null,
                        cancellationToken))
                .ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<SignInKey>> ListSignInKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<SignInKeyRow>(
                Cmd("SELECT * FROM signin_keys ORDER BY created_at, kid", null, null, cancellationToken))
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToKey())];
    }

    public Task AddSignInKeyAsync(
        SignInKey key,
        DateTimeOffset? retireOthersAt,
        CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            if (retireOthersAt is { } retire)
            {
                await c.ExecuteAsync(Cmd(RetireKeys, new { t = Ms(retire), use = (int)key.Use }, tx, ct))
                    .ConfigureAwait(false);
            }

            return await c.ExecuteAsync(Cmd(InsertKey, KeyRow(key), tx, ct)).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<bool> TryRedeemAsync(
        string grantId,
        DateTimeOffset keepUntil,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteAsync(Cmd(InsertRedeemed, new { grantId, t = Ms(keepUntil) }, null, cancellationToken))
                .ConfigureAwait(false) == 1;
    }

    private static async Task<SignInClient?> ReadClientAsync(
        NpgsqlConnection c,
        string clientId,
        CancellationToken ct) =>
        (
            await c.QuerySingleOrDefaultAsync<SignInClientRow>(Cmd(SelectClient, new { clientId }, null, ct))
                .ConfigureAwait(false))?.ToClient();
}
