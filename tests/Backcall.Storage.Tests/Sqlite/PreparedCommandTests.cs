using Backcall.Storage.Sqlite;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Tests.Sqlite;

/// <summary>
/// A kept statement is bound, stepped and reset on SQLite's own interface, its parameters' indexes kept between
/// executions: each execution must still write and read its own values, nulls included, and a failure must
/// leave the statement ready for the next.
/// </summary>
public sealed class PreparedCommandTests : IDisposable
{
    private const string Insert = "INSERT INTO t (id, name, seen) VALUES (@id, @name, @seen)";
    private const string Select = "SELECT id, name, seen FROM t WHERE id = @id";

    private static readonly RowReader<Row> Rows =
        new("id, name, seen", r => new Row(r.Int64(0), r.NullableText(1), r.NullableInt64(2)));

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public PreparedCommandTests()
    {
        _connection.Open();
        PreparedStatements.Attach(_connection);
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, seen INTEGER)";
        create.ExecuteNonQuery();
    }

    [Fact]
    public void Each_execution_binds_its_own_values_null_or_not()
    {
        _connection.Prepared(Insert, ("@id", 1L), ("@name", null), ("@seen", 10L)).ExecuteNonQuery();
        _connection.Prepared(Insert, ("@id", 2L), ("@name", "b"), ("@seen", null)).ExecuteNonQuery();
        _connection.Prepared(Insert, ("@id", 3L), ("@name", "a longer name"), ("@seen", 30L)).ExecuteNonQuery();

        Assert.Equal([(1L, null, 10L), (2L, "b", null), (3L, "a longer name", 30L)], ReadAll());
    }

    [Fact]
    public void Other_parameter_names_for_the_same_text_are_bound_by_name()
    {
        const string Named = "INSERT INTO t (id, name) VALUES (@a, @b)";
        _connection.Prepared(Named, ("@a", 1L), ("@b", "x")).ExecuteNonQuery();
        _connection.Prepared(Named, ("@b", "y"), ("@a", 2L)).ExecuteNonQuery();

        Assert.Equal([(1L, "x", null), (2L, "y", null)], ReadAll());
    }

    [Fact]
    public void Text_of_any_length_and_script_is_written_as_given()
    {
        // Past 169 characters the text's longest UTF-8 (three bytes a char) outgrows the stack's buffer.
        var texts = new[] { "", "Иван", new string('ж', 169), new string('ж', 170), new string('x', 9_999) + "✓" };
        for (var i = 0; i < texts.Length; i++)
        {
            _connection.Prepared(Insert, ("@id", i + 1L), ("@name", texts[i]), ("@seen", null)).ExecuteNonQuery();
        }

        Assert.Equal(texts, ReadAll().Select(r => r.Item2));
    }

    [Fact]
    public void A_row_is_read_by_ordinal_with_its_nulls_and_none_is_null()
    {
        _connection.Prepared(Insert, ("@id", 1L), ("@name", null), ("@seen", null)).ExecuteNonQuery();
        _connection.Prepared(Insert, ("@id", 2L), ("@name", "two"), ("@seen", 20L)).ExecuteNonQuery();

        Assert.Equal(new Row(1, null, null), _connection.Prepared(Select, ("@id", 1L)).QueryRow(Rows));
        Assert.Equal(new Row(2, "two", 20), _connection.Prepared(Select, ("@id", 2L)).QueryRow(Rows));
        Assert.Null(_connection.Prepared(Select, ("@id", 3L)).QueryRow(Rows));
        Assert.Equal(
            [new Row(2, "two", 20), new Row(1, null, null)],
            _connection.Prepared("SELECT id, name, seen FROM t ORDER BY id DESC").QueryRows(Rows));
    }

    [Fact]
    public void A_row_reader_for_other_columns_is_refused_naming_both()
    {
        _connection.Prepared(Insert, ("@id", 1L), ("@name", "one"), ("@seen", null)).ExecuteNonQuery();

        var error = Assert.Throws<InvalidOperationException>(
            () => _connection.Prepared("SELECT id, seen, name FROM t WHERE id = @id", ("@id", 1L)).QueryRow(Rows));

        Assert.Contains("(id, seen, name)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(id, name, seen)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_unknown_parameter_is_refused_by_name()
    {
        var missing = Assert.Throws<ArgumentException>(
            () => _connection.Prepared(Insert, ("@id", 1L), ("@name", "x")));
        var unknown = Assert.Throws<ArgumentException>(
            () => _connection.Prepared(Insert, ("@id", 1L), ("@name", "x"), ("@sen", 1L)));

        Assert.Contains("3 parameters and 2 were given", missing.Message, StringComparison.Ordinal);
        Assert.Contains("no parameter @sen", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_execution_throws_SQLites_error_and_leaves_the_statement_ready_for_the_next()
    {
        _connection.Prepared(Insert, ("@id", 1L), ("@name", "one"), ("@seen", null)).ExecuteNonQuery();

        var error = Assert.Throws<SqliteException>(
            () => _connection.Prepared(Insert, ("@id", 1L), ("@name", "again"), ("@seen", null)).ExecuteNonQuery());
        _connection.Prepared(Insert, ("@id", 2L), ("@name", "two"), ("@seen", null)).ExecuteNonQuery();

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal([(1L, "one", null), (2L, "two", null)], ReadAll());
    }

    [Fact]
    public async Task A_write_waits_for_another_connections_lock_instead_of_failing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"backcall-kept-{Guid.NewGuid():N}.db");
        try
        {
            using var kept = Open(path);
            kept.Execute("PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY)");
            PreparedStatements.Attach(kept);
            using var other = Open(path);
            other.Execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)");

            // The lock is let go only once the kept statement has started to wait for it (or failed).
            using var started = new ManualResetEventSlim();
            var write = Task.Run(() =>
            {
                started.Set();
                kept.Prepared("INSERT INTO t VALUES (@id)", ("@id", 2L)).ExecuteNonQuery();
            });
            started.Wait();
            await Task.Delay(200);
            other.Execute("COMMIT");
            await write;

            Assert.Equal(2L, other.ExecuteScalar<long>("SELECT count(*) FROM t"));
            PreparedStatements.Detach(kept);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void A_kept_connection_waits_for_locks_and_stops_waiting_once_let_go()
    {
        using var c = new SqliteConnection("Data Source=:memory:;Default Timeout=7");
        c.Open();

        PreparedStatements.Attach(c);
        var kept = c.ExecuteScalar<long>("PRAGMA busy_timeout");
        PreparedStatements.Detach(c);

        Assert.Equal(7_000, kept);
        Assert.Equal(0, c.ExecuteScalar<long>("PRAGMA busy_timeout"));
    }

    public void Dispose()
    {
        PreparedStatements.Detach(_connection);
        _connection.Dispose();
    }

    private static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection($"Data Source={path};Pooling=False;Default Timeout=30");
        c.Open();
        return c;
    }

    private List<(long, string?, long?)> ReadAll()
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT id, name, seen FROM t ORDER BY id";
        using var reader = select.ExecuteReader();
        var rows = new List<(long, string?, long?)>();
        while (reader.Read())
        {
            rows.Add((
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt64(2)));
        }

        return rows;
    }

    private sealed record Row(long Id, string? Name, long? Seen);
}
