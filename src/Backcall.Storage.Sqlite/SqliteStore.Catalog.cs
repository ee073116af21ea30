using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Dapper;
using Microsoft.Data.Sqlite;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Sqlite;

/// <summary>Tokens and pool numbers; every change moves the catalog version that caches poll.</summary>
public sealed partial class SqliteStore
{
    public async Task<long> GetCatalogVersionAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        return await c.ExecuteScalarAsync<long>("SELECT value FROM meta WHERE key = 'catalog_version'")
            .ConfigureAwait(false);
    }

    public Task<Token> CreateTokenAsync(NewToken token, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var id = c.ExecuteScalar<long>(
                """
                INSERT INTO tokens (name, hash, prefix, created_at, price_cents, balance_limit_cents, free_left,
                    webhook_secret, notify_expired)
                VALUES (@Name, @Hash, @Prefix, @CreatedAt, @Price, @Limit, @Free, @Secret, @Notify) RETURNING id
                """,
                new
                {
                    token.Name,
                    token.Hash,
                    token.Prefix,
                    CreatedAt = Ms(token.CreatedAt),
                    Price = Cents(token.Price),
                    Limit = Cents(token.BalanceLimit),
                    Free = token.FreeRequests,
                    Secret = token.WebhookSecret,
                    Notify = token.NotifyExpired ? 1 : 0,
                });
            BumpCatalog(c);
            return ReadToken(c, id)!;
        }, cancellationToken);

    public async Task<IReadOnlyList<Token>> ListTokensAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<TokenRow>("SELECT * FROM tokens ORDER BY id").ConfigureAwait(false);
        return [.. rows.Select(r => r.ToToken())];
    }

    public async Task<Token?> GetTokenAsync(long id, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        return ReadToken(c, id);
    }

    public Task<Token?> UpdateTokenAsync(long id, TokenChange change, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var n = c.Execute(
                SharedQueries.UpdateToken,
                SharedQueries.TokenUpdate(id, change));
            if (n == 0)
            {
                return null;
            }

            BumpCatalog(c);
            return ReadToken(c, id);
        }, cancellationToken);

    public Task<bool> AddNumberAsync(
        E164Phone number,
        DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var added =
                c.Execute(
                    "INSERT INTO numbers (number, added_at) VALUES (@n, @t) ON CONFLICT (number) DO NOTHING",
                    new { n = number.Value, t = Ms(now) }) == 1;
            BumpCatalog(c);
            return added;
        }, cancellationToken);

    public async Task<IReadOnlyList<PoolNumber>> ListNumbersAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<(string Number, long Enabled, long AddedAt, long Used)>(
                "SELECT number, enabled, added_at, used FROM numbers ORDER BY number")
            .ConfigureAwait(false);
        return [.. rows.Select(r => new PoolNumber(new E164Phone(r.Number), r.Enabled != 0, Time(r.AddedAt), r.Used))];
    }

    public Task<bool> SetNumberEnabledAsync(
        E164Phone number,
        bool enabled,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var found =
                c.Execute(
                    "UPDATE numbers SET enabled = @e WHERE number = @n",
                    new { n = number.Value, e = enabled ? 1 : 0 }) == 1;
            BumpCatalog(c);
            return found;
        }, cancellationToken);

    public Task<bool> RemoveNumberAsync(E164Phone number, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var found = c.Execute("DELETE FROM numbers WHERE number = @n", new { n = number.Value }) == 1;
            BumpCatalog(c);
            return found;
        }, cancellationToken);


    private static void BumpCatalog(SqliteConnection c) =>
        c.Execute("UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'");

    private static Token? ReadToken(SqliteConnection c, long id) =>
        c.QuerySingleOrDefault<TokenRow>("SELECT * FROM tokens WHERE id = @id", new { id })?.ToToken();
}
