using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;
using Dapper;
using Microsoft.Data.Sqlite;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes go through <see cref="SqliteWriter"/> (group
/// commit, synchronous=FULL, so an answered write survives kill -9 and power loss); reads use their own
/// pooled connections and never wait for the writer.
/// </summary>
public sealed partial class SqliteStore : IBackcallStore
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writeConnection;
    private readonly SqliteWriter _writer;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly SqliteReaders _readers;
    private int _disposed;

    static SqliteStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public SqliteStore(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        DatabasePath = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        _writeConnection = Open();
        Pragma(_writeConnection, "journal_mode = WAL");
        Pragma(_writeConnection, "synchronous = FULL");
        Pragma(_writeConnection, "wal_autocheckpoint = 0");
        _writer = new SqliteWriter(_writeConnection);
        _checkpointer = new SqliteCheckpointer(Open);
        _readers = new SqliteReaders(Open);
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    public Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        // Migrations run their own transactions, so not through the writer; at start-up nothing else writes.
        using var c = Open();
        return Task.FromResult(SqliteMigrator.Migrate(c));
    }

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var t = Ms(olderThan);
            var n = c.Execute(
                "DELETE FROM authorizations WHERE status <> 0 AND COALESCE(confirmed_at, expires_at) < @t",
                new { t });
            n += c.Execute("DELETE FROM leases WHERE expires_at < @t", new { t });
            n += c.Execute("DELETE FROM call_log WHERE received_at < @t", new { t });
            n += c.Execute(
                "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_outbox WHERE status <> 0 "
                    + "AND completed_at < @t)",
                new { t });
            n += c.Execute("DELETE FROM webhook_outbox WHERE status <> 0 AND completed_at < @t", new { t });
            n += c.Execute("DELETE FROM signin_redeemed WHERE keep_until < @t", new { t });
            return n;
        }, cancellationToken);

    /// <summary>
    /// The kept statements of the writer and the idle readers that SQLite compiled again, with how many times.
    /// Once follows a schema change; a count that grows with the values bound is a plan that peeks at them
    /// (BENCHMARKS.md, "Seventh pass": the candidates' read was compiled at every stranger's call).
    /// </summary>
    internal List<(string Sql, int Times)> KeptStatementsCompiledAgain() =>
        [.. _readers.Idle.Prepend(_writeConnection).SelectMany(PreparedStatements.CompiledAgain)];

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        _readers.Dispose();
        await _writeConnection.DisposeAsync().ConfigureAwait(false);
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    private static void Pragma(SqliteConnection c, string pragma) => c.Execute("PRAGMA " + pragma);
}
