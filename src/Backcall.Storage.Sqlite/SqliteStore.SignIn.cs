using Backcall.Core.SignIn;
using Dapper;
using Microsoft.Data.Sqlite;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;
using static Backcall.Storage.SharedQueries;

namespace Backcall.Storage.Sqlite;

/// <summary>The sign-in provider's clients, keys and redeemed grants.</summary>
public sealed partial class SqliteStore
{
    public Task<bool> CreateClientAsync(SignInClient client, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c => c.Execute(InsertClient, ClientRow(client)) == 1, cancellationToken);

    public async Task<IReadOnlyList<SignInClient>> ListClientsAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<SignInClientRow>(ListClients).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToClient())];
    }

    public async Task<SignInClient?> GetClientAsync(string clientId, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        return ReadClient(c, clientId);
    }

    public Task<SignInClient?> UpdateClientAsync(
        string clientId,
        ClientChange change,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(
            c =>
                c.Execute(
                    UpdateClient,
                    new
                    {
                        clientId,
                        change.Disabled,
                        change.SecretHash,
                        change.JustCall,
                    }) == 0
                    ? null
                    : ReadClient(c, clientId),
            cancellationToken);

    public Task<bool> RemoveClientAsync(string clientId, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(
            c => c.Execute("DELETE FROM signin_clients WHERE client_id = @clientId", new { clientId }) == 1,
            cancellationToken);

    public async Task<IReadOnlyList<SignInKey>> ListSignInKeysAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<SignInKeyRow>("SELECT * FROM signin_keys ORDER BY created_at, kid")
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToKey())];
    }

    public Task AddSignInKeyAsync(
        SignInKey key,
        DateTimeOffset? retireOthersAt,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            if (retireOthersAt is { } retire)
            {
                c.Execute(RetireKeys, new { t = Ms(retire), use = (int)key.Use });
            }

            return c.Execute(InsertKey, KeyRow(key));
        }, cancellationToken);

    public Task<bool> TryRedeemAsync(
        string grantId,
        DateTimeOffset keepUntil,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c => c.Execute(InsertRedeemed, new { grantId, t = Ms(keepUntil) }) == 1, cancellationToken);

    private static SignInClient? ReadClient(SqliteConnection c, string clientId) =>
        c.QuerySingleOrDefault<SignInClientRow>(SelectClient, new { clientId })?.ToClient();
}
