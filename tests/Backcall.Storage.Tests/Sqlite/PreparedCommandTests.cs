using Backcall.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Tests.Sqlite;

/// <summary>
/// A kept statement reuses its parameters and its row parser between executions: each execution must still
/// write and read its own values, nulls included.
/// </summary>
public sealed class PreparedCommandTests : IDisposable
{
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
        const string Insert = "INSERT INTO t (id, name, seen) VALUES (@id, @name, @seen)";
        _connection.Prepared(Insert, ("@id", 1L), ("@name", null), ("@seen", 10L)).ExecuteNonQuery();
        _connection.Prepared(Insert, ("@id", 2L), ("@name", "b"), ("@seen", null)).ExecuteNonQuery();
        _connection.Prepared(Insert, ("@id", 3L), ("@name", "a longer name"), ("@seen", 30L)).ExecuteNonQuery();

        Assert.Equal([(1L, null, 10L), (2L, "b", null), (3L, "a longer name", 30L)], ReadAll());
    }

    [Fact]
    public void Other_parameter_names_for_the_same_text_are_bound_by_name()
    {
        const string Insert = "INSERT INTO t (id, name) VALUES (@a, @b)";
        _connection.Prepared(Insert, ("@a", 1L), ("@b", "x")).ExecuteNonQuery();
        _connection.Prepared(Insert, ("@b", "y"), ("@a", 2L)).ExecuteNonQuery();

        Assert.Equal([(1L, "x", null), (2L, "y", null)], ReadAll());
    }

    [Fact]
    public void The_row_parser_made_for_the_first_row_reads_every_later_one()
    {
        const string Insert = "INSERT INTO t (id, name, seen) VALUES (@id, @name, @seen)";
        _connection.Prepared(Insert, ("@id", 1L), ("@name", null), ("@seen", null)).ExecuteNonQuery();
        _connection.Prepared(Insert, ("@id", 2L), ("@name", "two"), ("@seen", 20L)).ExecuteNonQuery();

        const string Select = "SELECT id AS Id, name AS Name, seen AS Seen FROM t WHERE id = @id";
        var first = _connection.Prepared(Select, ("@id", 1L)).QueryRow<Row>();
        var second = _connection.Prepared(Select, ("@id", 2L)).QueryRow<Row>();
        var missing = _connection.Prepared(Select, ("@id", 3L)).QueryRow<Row>();

        Assert.Equal(new Row { Id = 1, Name = null, Seen = null }, first);
        Assert.Equal(new Row { Id = 2, Name = "two", Seen = 20 }, second);
        Assert.Null(missing);
    }

    public void Dispose()
    {
        PreparedStatements.Detach(_connection);
        _connection.Dispose();
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

    private sealed record Row
    {
        public long Id { get; init; }

        public string? Name { get; init; }

        public long? Seen { get; init; }
    }
}
