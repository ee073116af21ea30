using Backcall.Core.Authorizations;
using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Postgres;

/// <summary>
/// The store for many nodes on one PostgreSQL database. Every change runs in one READ COMMITTED
/// transaction; races between nodes are settled by row locks and constraints in the database (the token
/// row for charging, the leases primary key for allocation, the call_id unique key for repeated calls,
/// SKIP LOCKED for webhook claims), never by anything held in a node's memory. Changes other nodes must see
/// are announced with NOTIFY in the same transaction (see <see cref="WatchAsync"/>).
/// </summary>
public sealed partial class PostgresStore : IBackcallStore, IStoreChangeFeed
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenConnectionString;
    private readonly ILogger _logger;

    static PostgresStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public PostgresStore(string connectionString, ILogger<PostgresStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _logger = logger ?? NullLogger<PostgresStore>.Instance;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "backcall";
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);

        // The listener holds one connection for its whole life, so outside the pool (a pooled connection is
        // reset with DISCARD ALL on return, which would drop the LISTEN). Keepalive makes a silently dead
        // connection (a partition, a failover) fail within seconds instead of waiting forever.
        var listen = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Pooling = false,
            ApplicationName = builder.ApplicationName + "-listen",
        };
        if (listen.KeepAlive == 0)
        {
            listen.KeepAlive = 5;
        }

        _listenConnectionString = listen.ConnectionString;
        Database = builder.Database ?? "";
    }

    /// <summary>The database name, for logs.</summary>
    public string Database { get; }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await PostgresMigrator.MigrateAsync(c, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> GetCatalogVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>(
                Cmd("SELECT value FROM meta WHERE key = 'catalog_version'", null, null, cancellationToken))
            .ConfigureAwait(false);
    }

    // Tokens

    public Task<Token> CreateTokenAsync(NewToken token, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            var row = await c.QuerySingleAsync<TokenRow>(
                    Cmd(
                        """
                        INSERT INTO tokens (name, hash, prefix, created_at, price_cents, balance_limit_cents,
                            free_left, webhook_secret, notify_expired)
                        VALUES (@Name, @Hash, @Prefix, @CreatedAt, @Price, @Limit, @Free, @Secret, @Notify) RETURNING *
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
                            Notify = token.NotifyExpired,
                        },
                        tx,
                        ct))
                .ConfigureAwait(false);
            await BumpCatalogAsync(c, tx, ct).ConfigureAwait(false);
            return row.ToToken();
        }, cancellationToken);

    public async Task<IReadOnlyList<Token>> ListTokensAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<TokenRow>(Cmd("SELECT * FROM tokens ORDER BY id", null, null, cancellationToken))
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToToken())];
    }

    public async Task<Token?> GetTokenAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<TokenRow>(
                Cmd("SELECT * FROM tokens WHERE id = @id", new { id }, null, cancellationToken))
            .ConfigureAwait(false);
        return row?.ToToken();
    }

    public Task<Token?> UpdateTokenAsync(long id, TokenChange change, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<TokenRow>(Cmd(
                SharedQueries.UpdateToken + " RETURNING *",
                SharedQueries.TokenUpdate(id, change),
                tx,
                ct)).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            await BumpCatalogAsync(c, tx, ct).ConfigureAwait(false);
            return row.ToToken();
        }, cancellationToken);

    // Numbers

    public Task<bool> AddNumberAsync(
        E164Phone number,
        DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            var added =
                await c.ExecuteAsync(
                        Cmd(
                            "INSERT INTO numbers (number, added_at) VALUES (@n, @t) ON CONFLICT (number) DO NOTHING",
                            new { n = number.Value, t = Ms(now) },
                            tx,
                            ct))
                    .ConfigureAwait(false) == 1;
            await BumpCatalogAsync(c, tx, ct).ConfigureAwait(false);
            return added;
        }, cancellationToken);

    public async Task<IReadOnlyList<PoolNumber>> ListNumbersAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<(string Number, bool Enabled, long AddedAt, long Used)>(
                Cmd(
                    "SELECT number, enabled, added_at, used FROM numbers ORDER BY number",
                    null,
                    null,
                    cancellationToken))
            .ConfigureAwait(false);
        return [.. rows.Select(r => new PoolNumber(new E164Phone(r.Number), r.Enabled, Time(r.AddedAt), r.Used))];
    }

    public Task<bool> SetNumberEnabledAsync(
        E164Phone number,
        bool enabled,
        CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            var found =
                await c.ExecuteAsync(
                        Cmd(
                            "UPDATE numbers SET enabled = @enabled WHERE number = @n",
                            new { n = number.Value, enabled },
                            tx,
                            ct))
                    .ConfigureAwait(false) == 1;
            await BumpCatalogAsync(c, tx, ct).ConfigureAwait(false);
            return found;
        }, cancellationToken);

    public Task<bool> RemoveNumberAsync(E164Phone number, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            var found =
                await c.ExecuteAsync(Cmd("DELETE FROM numbers WHERE number = @n", new { n = number.Value }, tx, ct))
                    .ConfigureAwait(false) == 1;
            await BumpCatalogAsync(c, tx, ct).ConfigureAwait(false);
            return found;
        }, cancellationToken);

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync().ConfigureAwait(false);

    private static CommandDefinition Cmd(string sql, object? parameters, NpgsqlTransaction? tx, CancellationToken ct) =>
        new(sql, parameters, tx, cancellationToken: ct);

    private ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => _dataSource.OpenConnectionAsync(ct);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it; an exception rolls everything back.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken ct)
    {
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        var result = await work(c, tx, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    private async Task BumpCatalogAsync(NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
    {
        await c.ExecuteAsync(Cmd("UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'", null, tx, ct))
            .ConfigureAwait(false);
        await NotifyAsync(c, tx, ChangeNotification.Catalog(InstanceId), ct).ConfigureAwait(false);
    }

    private static async Task<Authorization?> ReadAuthorizationAsync(
        NpgsqlConnection c,
        NpgsqlTransaction? tx,
        long id,
        CancellationToken ct) =>
        (
            await c.QuerySingleOrDefaultAsync<AuthorizationRow>(
                    Cmd($"SELECT {AuthorizationColumns} FROM authorizations WHERE id = @id", new { id }, tx, ct))
                .ConfigureAwait(false))?.ToAuthorization();
}
