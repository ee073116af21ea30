using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// The statements every call makes the writer run, each prepared once on the writer's connection and reused.
/// SQLite compiles a statement at every prepare, and a command made per execution (as Dapper makes them)
/// prepares every time: compiling was most of SQLite's share of a confirming call's CPU (BENCHMARKS.md).
/// </summary>
/// <remarks>
/// Only the writer's connection has them (<see cref="Attach"/>): it lives as long as the store and is used by one
/// thread at a time, so its commands are never shared; a reader's short-lived connection would keep statements
/// nobody reuses.
/// </remarks>
internal static class WriterStatements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Cache = new();

    /// <summary>Gives the writer's connection its statement cache.</summary>
    public static void Attach(SqliteConnection writer) => Cache.Add(writer, new Dictionary<string, SqliteCommand>());

    /// <summary>Disposes the cached statements (before the connection closes).</summary>
    public static void Detach(SqliteConnection writer)
    {
        if (Cache.TryGetValue(writer, out var commands))
        {
            foreach (var command in commands.Values)
            {
                command.Dispose();
            }

            Cache.Remove(writer);
        }
    }

    /// <summary>The prepared command for <paramref name="sql"/>, bound to <paramref name="parameters"/>.</summary>
    /// <exception cref="InvalidOperationException">The connection is not the writer's.</exception>
    public static SqliteCommand Prepared(
        this SqliteConnection writer,
        string sql,
        params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!Cache.TryGetValue(writer, out var commands))
        {
            throw new InvalidOperationException("prepared statements are the writer connection's only");
        }

        if (!commands.TryGetValue(sql, out var command))
        {
            command = writer.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>The first row as <typeparamref name="T"/> (mapped as Dapper maps a query), or default.</summary>
    public static T? QueryRow<T>(this SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetRowParser<T>()(reader) : default;
    }
}
