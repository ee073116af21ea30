using Backcall.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Tests.Sqlite;

/// <summary>
/// A kept statement is compiled once, whatever values it is given. SQLite compiles one again, silently, when
/// the plan it chose depended on a bound value: then every execution with a new value pays for a compile.
/// </summary>
public sealed class KeptStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public KeptStatementTests()
    {
        _connection.Open();
        SqliteMigrator.Migrate(_connection);
        PreparedStatements.Attach(_connection);
    }

    [Fact]
    public void A_calls_candidates_are_read_for_each_new_caller_without_compiling_the_read_again()
    {
        // The pair's phone is compared in the same column as the partial index of identify authorizations
        // (user_phone = ''): measured before this test, every stranger's call compiled the read again.
        foreach (var caller in new[] { "+79010000001", "+79010000002", "+79010000003" })
        {
            _connection.Prepared(SharedQueries.CallCandidates, ("@caller", caller), ("@called", "+79640000001"))
                .QueryRows(SqliteRows.Authorization);
        }

        Assert.Empty(PreparedStatements.CompiledAgain(_connection));
    }

    public void Dispose()
    {
        PreparedStatements.Detach(_connection);
        _connection.Dispose();
    }
}
