using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// Read connections kept open with their prepared statements, for the reads a call can make (a caller memory
/// does not know): a connection opened per read prepared its statement anew every time. WAL mode lets them read
/// while the writer writes; a statement is reset when its reader is disposed, so none holds a snapshot.
/// </summary>
internal sealed class SqliteReaders(Func<SqliteConnection> open) : IDisposable
{
    /// <summary>
    /// More than the threads that read at once on a small machine; beyond it a returned one is closed.
    /// </summary>
    private static readonly int MaxIdle = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private volatile bool _disposed;

    /// <summary>A kept connection for one read; dispose the lease to give it back.</summary>
    public Lease Rent() => new(this, _idle.TryTake(out var c) ? c : PreparedStatements.Attach(open()));

    /// <summary>The connections not rented at the moment.</summary>
    public IEnumerable<SqliteConnection> Idle => _idle;

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var c))
        {
            Close(c);
        }
    }

    private void Return(SqliteConnection c)
    {
        if (_disposed || _idle.Count >= MaxIdle)
        {
            Close(c);
            return;
        }

        _idle.Add(c);
        if (_disposed && _idle.TryTake(out var late))
        {
            Close(late);
        }
    }

    private static void Close(SqliteConnection c)
    {
        PreparedStatements.Detach(c);
        c.Dispose();
    }

    public readonly struct Lease(SqliteReaders owner, SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection => connection;

        public void Dispose() => owner.Return(connection);
    }
}
