using Microsoft.Data.Sqlite;

namespace BareKestrel;

/// <summary>
/// One row, one transaction, one fsync per request, on one connection: the straightforward durable
/// write, in the same mode as the server's database (WAL, synchronous=FULL). The server group-commits,
/// so it may beat this; the anchor says what the disk gives a request that waits for its own commit.
/// </summary>
public sealed class DurableInserts : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DurableInserts(string path)
    {
        _connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        Execute("""
            CREATE TABLE IF NOT EXISTS authorizations (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_phone TEXT NOT NULL,
                created_at INTEGER NOT NULL)
            """);
    }

    public async Task<long> InsertAsync(string phone)
    {
        await _gate.WaitAsync();
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "INSERT INTO authorizations (user_phone, created_at) VALUES ($p, $t) RETURNING id";
            command.Parameters.AddWithValue("$p", phone);
            command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return (long)command.ExecuteScalar()!;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
