using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// One prepared statement of a kept connection (<see cref="PreparedStatements"/>), with what every execution
/// would otherwise make again: its parameter objects, and Dapper's parser for its rows.
/// </summary>
/// <remarks>
/// A row parser is found by a hash of the reader's column names and types, which Dapper computes per query from
/// strings SQLite hands out (a name and a type name per column): for the authorization read back after each
/// confirmation that was 1.2 KB of garbage a call. A prepared statement's columns never change and each of
/// ours is declared with one type, so the parser made for the first row serves every later one.
/// </remarks>
internal sealed class PreparedCommand(SqliteCommand command) : IDisposable
{
    private Delegate? _rowParser;

    public int ExecuteNonQuery() => command.ExecuteNonQuery();

    /// <summary>The first row as <typeparamref name="T"/> (mapped as Dapper maps a query), or default.</summary>
    public T? QueryRow<T>()
    {
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return default;
        }

        if (_rowParser is not Func<DbDataReader, T> parser)
        {
            parser = reader.GetRowParser<T>();
            _rowParser = parser;
        }

        return parser(reader);
    }

    /// <summary>Every row as <typeparamref name="T"/>, for a statement known to return a few.</summary>
    public List<T> QueryRows<T>()
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            if (_rowParser is not Func<DbDataReader, T> parser)
            {
                parser = reader.GetRowParser<T>();
                _rowParser = parser;
            }

            rows.Add(parser(reader));
        }

        return rows;
    }

    /// <summary>Sets the values of this execution, reusing the parameters when the names are the same.</summary>
    public void Bind(ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var bound = command.Parameters;
        if (!SameNames(bound, parameters))
        {
            bound.Clear();
            foreach (var (name, value) in parameters)
            {
                bound.AddWithValue(name, value ?? DBNull.Value);
            }

            return;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            bound[i].Value = parameters[i].Value ?? DBNull.Value;
        }
    }

    public void Dispose() => command.Dispose();

    private static bool SameNames(SqliteParameterCollection bound, ReadOnlySpan<(string Name, object? Value)> next)
    {
        if (bound.Count != next.Length)
        {
            return false;
        }

        for (var i = 0; i < next.Length; i++)
        {
            if (!string.Equals(bound[i].ParameterName, next[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
