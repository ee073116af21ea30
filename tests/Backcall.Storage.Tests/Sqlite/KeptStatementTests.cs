using Backcall.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Backcall.Storage.Tests.Sqlite;

/// <summary>
/// A kept statement is compiled once, whatever values it is given. SQLite compiles one again, silently, when
/// the plan it chose depended on a bound value: then every execution with a new value pays for a compile.
/// </summary>
public sealed class KeptStatementTests : IDisposable
{
    // sqlite3.h: the number of times SQLite compiled a statement again (SQLITE_STMTSTATUS_REPREPARE).
    private const int Reprepares = 5;

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public KeptStatementTests()
    {
        _connection.Open();
        _connection.Handle!.enable_sqlite3_next_stmt(true);
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

        Assert.Equal([(SharedQueries.CallCandidates, 0)], CompiledAgain());
    }

    public void Dispose()
    {
        PreparedStatements.Detach(_connection);
        _connection.Dispose();
    }

    /// <summary>Each statement of the connection with the number of times SQLite compiled it again.</summary>
    private List<(string Sql, int Times)> CompiledAgain()
    {
        var statements = new List<(string, int)>();
        for (var s = raw.sqlite3_next_stmt(_connection.Handle, null); s is { IsInvalid: false };
            s = raw.sqlite3_next_stmt(_connection.Handle, s))
        {
            statements.Add((raw.sqlite3_sql(s).utf8_to_string(), raw.sqlite3_stmt_status(s, Reprepares, 0)));
        }

        return statements;
    }
}
