using Backcall.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Tests.Sqlite;

/// <summary>
/// The group commit's promise to each caller: its write is committed with the others of its batch, or it fails
/// alone, undone to the last row, and the others stand.
/// </summary>
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private SqliteWriter _writer = null!;

    public Task InitializeAsync()
    {
        _connection.Open();
        _connection.Execute("CREATE TABLE t (name TEXT PRIMARY KEY)");
        _writer = new SqliteWriter(_connection);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_failing_write_in_a_batch_is_undone_and_the_others_of_the_batch_are_committed()
    {
        // The first write holds the writer until the next three are queued, so those three share a batch.
        using var queued = new ManualResetEventSlim();
        var first = _writer.WriteAsync(
            c =>
            {
                queued.Wait();
                return 0;
            },
            default);
        var before = _writer.WriteAsync(c => Insert(c, "before"), default);
        var failing = _writer.WriteAsync<int>(c => throw Failure(c, "half"), default);
        var after = _writer.WriteAsync(c => Insert(c, "after"), default);
        queued.Set();

        await first;
        await before;
        await after;
        Assert.Equal("half written", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(["after", "before"], await NamesAsync());
    }

    [Fact]
    public async Task A_failing_write_alone_in_its_transaction_is_undone_and_the_next_write_commits()
    {
        var failing = _writer.WriteAsync<int>(c => throw Failure(c, "alone"), default);
        Assert.Equal("alone written", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);

        await _writer.WriteAsync(c => Insert(c, "next"), default);
        Assert.Equal(["next"], await NamesAsync());
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static int Insert(SqliteConnection c, string name) =>
        c.Execute("INSERT INTO t (name) VALUES (@name)", new { name });

    /// <summary>Writes a row, then fails: the row must not outlive the failure.</summary>
    private static InvalidOperationException Failure(SqliteConnection c, string name)
    {
        Insert(c, name);
        return new InvalidOperationException($"{name} written");
    }

    private Task<List<string>> NamesAsync() =>
        _writer.WriteAsync(c => c.Query<string>("SELECT name FROM t ORDER BY name").ToList(), default);
}
