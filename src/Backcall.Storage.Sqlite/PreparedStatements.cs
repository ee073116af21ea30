using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// The statements every call runs, each prepared once per connection and reused. SQLite compiles a statement
/// at every prepare, and a command made per execution (as Dapper makes them) prepares every time: compiling
/// was most of SQLite's share of a call's CPU (BENCHMARKS.md).
/// </summary>
/// <remarks>
/// Only connections the store keeps open have them (<see cref="Attach"/>): the writer's, and the kept readers'
/// (<see cref="SqliteReaders"/>). Each is used by one thread at a time, so its commands are never shared; a
/// short-lived connection would keep statements nobody reuses.
/// </remarks>
internal static class PreparedStatements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, PreparedCommand>> Cache = new();

    /// <summary>
    /// Gives a connection the store keeps open its statement cache, and SQLite's own wait for a lock another
    /// connection holds, as long as the connection's <see cref="SqliteConnection.DefaultTimeout"/>.
    /// </summary>
    public static SqliteConnection Attach(SqliteConnection connection)
    {
        // The kept statements step on SQLite's interface, outside SqliteCommand's loop of retries.
        raw.sqlite3_busy_timeout(connection.Handle, connection.DefaultTimeout * 1000);
        Cache.Add(connection, new Dictionary<string, PreparedCommand>(StringComparer.Ordinal));
        return connection;
    }

    /// <summary>
    /// Disposes the cached statements and takes SQLite's wait back (before the connection closes: its handle
    /// may go back to the pool, to a connection whose commands do their own retrying).
    /// </summary>
    public static void Detach(SqliteConnection connection)
    {
        if (Cache.TryGetValue(connection, out var commands))
        {
            foreach (var command in commands.Values)
            {
                command.Dispose();
            }

            Cache.Remove(connection);
            raw.sqlite3_busy_timeout(connection.Handle, 0);
        }
    }

    /// <summary>The kept statements of a connection that SQLite compiled again, with how many times.</summary>
    public static List<(string Sql, int Times)> CompiledAgain(SqliteConnection connection) =>
        Cache.TryGetValue(connection, out var commands)
            ? [.. commands.Select(c => (c.Key, c.Value.TimesCompiledAgain)).Where(c => c.TimesCompiledAgain > 0)]
            : [];

    /// <summary>The prepared command for <paramref name="sql"/>, bound to <paramref name="parameters"/>.</summary>
    /// <exception cref="InvalidOperationException">The connection is not one the store keeps open.</exception>
    public static PreparedCommand Prepared(
        this SqliteConnection connection,
        string sql,
        params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!Cache.TryGetValue(connection, out var commands))
        {
            throw new InvalidOperationException("prepared statements are only kept on the store's open connections");
        }

        if (!commands.TryGetValue(sql, out var command))
        {
            command = new PreparedCommand(connection, sql);
            commands.Add(sql, command);
        }

        command.Bind(parameters);
        return command;
    }
}
