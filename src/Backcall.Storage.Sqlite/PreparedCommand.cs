using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// One statement of a kept connection (<see cref="PreparedStatements"/>), compiled once and run on SQLite's own
/// interface: bind, step, reset.
/// </summary>
/// <remarks>
/// Through <see cref="SqliteCommand"/> every execution made a binder per parameter (and looked its index up by a
/// name converted to UTF-8 again), a data reader with its statement enumerator and record, and Dapper's boxed
/// column values: a fifth of a confirming call's garbage (BENCHMARKS.md, "Seventh pass"). Here a statement keeps
/// its parameters' indexes, binds text from a buffer on the stack, and maps a row by ordinal
/// (<see cref="RowReader{T}"/>). The connection's busy timeout (<see cref="PreparedStatements.Attach"/>) stands in
/// for the retries <see cref="SqliteCommand"/> makes when another connection holds the lock.
/// </remarks>
internal sealed class PreparedCommand : IDisposable
{
    private const int StackTextBytes = 512;

    // sqlite3.h: SQLITE_STMTSTATUS_REPREPARE, which SQLitePCL does not name.
    private const int StatementStatusReprepare = 5;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int _parameterCount;
    private readonly bool _readOnly;
    private string[] _names = [];
    private int[] _indexes = [];
    private object? _checkedReader;

    public PreparedCommand(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        var rc = raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out var rest);
        if (rc != raw.SQLITE_OK)
        {
            _statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        if (!string.IsNullOrWhiteSpace(rest))
        {
            _statement.Dispose();
            throw new ArgumentException("a kept statement is one statement; this text holds more", nameof(sql));
        }

        _parameterCount = raw.sqlite3_bind_parameter_count(_statement);
        _readOnly = raw.sqlite3_stmt_readonly(_statement) != 0;
    }

    /// <summary>
    /// The times SQLite compiled this statement again since it was prepared (it does so silently when a plan
    /// depended on a bound value, or the schema changed): a kept statement's point is to be compiled once.
    /// </summary>
    public int TimesCompiledAgain => raw.sqlite3_stmt_status(_statement, StatementStatusReprepare, 0);

    /// <summary>Runs the statement to its end; the rows it changed, or -1 for one that changes nothing.</summary>
    public int ExecuteNonQuery()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Check(rc, raw.SQLITE_DONE);
            return _readOnly ? -1 : raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>The first row, read by <paramref name="reader"/>, or default when there is none.</summary>
    public T? QueryRow<T>(RowReader<T> reader)
        where T : class
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_DONE)
            {
                return default;
            }

            Check(rc, raw.SQLITE_ROW);
            return Read(reader);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Every row, for a statement known to return a few.</summary>
    public List<T> QueryRows<T>(RowReader<T> reader)
    {
        try
        {
            var rows = new List<T>();
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
                rows.Add(Read(reader));
            }

            Check(rc, raw.SQLITE_DONE);
            return rows;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Sets the values of this execution, every parameter of the statement by name.</summary>
    /// <exception cref="ArgumentException">A parameter is missing, or named but not in the statement.</exception>
    public void Bind(ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!SameNames(parameters))
        {
            FindIndexes(parameters);
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            Check(BindValue(_indexes[i], parameters[i].Value), raw.SQLITE_OK);
        }
    }

    public void Dispose() => _statement.Dispose();

    private T Read<T>(RowReader<T> reader)
    {
        if (!ReferenceEquals(_checkedReader, reader))
        {
            CheckColumns(reader.Columns);
            _checkedReader = reader;
        }

        return reader.Read(new StatementRow(_statement));
    }

    private void CheckColumns(string[] expected)
    {
        var count = raw.sqlite3_column_count(_statement);
        var actual = new string[count];
        for (var i = 0; i < count; i++)
        {
            actual[i] = raw.sqlite3_column_name(_statement, i).utf8_to_string();
        }

        if (!actual.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"the statement's columns ({string.Join(", ", actual)}) are not the ones its row reader reads "
                    + $"({string.Join(", ", expected)})");
        }
    }

    private int BindValue(int index, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(_statement, index),
        long n => raw.sqlite3_bind_int64(_statement, index, n),
        int n => raw.sqlite3_bind_int64(_statement, index, n),
        bool b => raw.sqlite3_bind_int64(_statement, index, b ? 1 : 0),
        double d => raw.sqlite3_bind_double(_statement, index, d),
        string s => BindText(index, s),
        _ => throw new ArgumentException($"a kept statement binds no {value.GetType().Name}", nameof(value)),
    };

    private int BindText(int index, string text)
    {
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = most <= StackTextBytes
            ? stackalloc byte[StackTextBytes]
            : rented = ArrayPool<byte>.Shared.Rent(most);
        try
        {
            // SQLite copies the bytes (SQLITE_TRANSIENT), so the buffer is free again on return.
            var length = Encoding.UTF8.GetBytes(text, buffer);
            return raw.sqlite3_bind_text(_statement, index, buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool SameNames(ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (_names.Length != parameters.Length)
        {
            return false;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(_names[i], parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void FindIndexes(ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (parameters.Length != _parameterCount)
        {
            throw new ArgumentException(
                $"the statement has {_parameterCount} parameters and {parameters.Length} were given",
                nameof(parameters));
        }

        var names = new string[parameters.Length];
        var indexes = new int[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            names[i] = parameters[i].Name;
            indexes[i] = raw.sqlite3_bind_parameter_index(_statement, names[i]);
            if (indexes[i] == 0)
            {
                throw new ArgumentException($"the statement has no parameter {names[i]}", nameof(parameters));
            }
        }

        _names = names;
        _indexes = indexes;
    }

    private void Check(int rc, int expected)
    {
        if (rc != expected)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
