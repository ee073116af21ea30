using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// The single writer of a SQLite database, with group commit: concurrent writes are queued and applied in
/// one transaction (each inside its own savepoint, so one failing write does not undo the others), and every
/// caller is answered only after the COMMIT, and so the fsync, returned.
/// </summary>
/// <remarks>
/// SQLite allows one writer at a time anyway; queueing in-process avoids lock spinning and turns N fsyncs
/// into one under load, which is what makes a durable write per request affordable. The writer has a thread of
/// its own: it spends most of its time blocked in fsync, which need not hold a thread-pool thread, and a queued
/// write wakes it directly instead of queueing its loop's continuation to the pool (measured: a slightly lower
/// INVITE → 486 p50, no change of the p99; BENCHMARKS.md, "the INVITE → 486 p99 call by call").
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    // Synchronous continuations: the only one is the writer thread's wait, which it ends at once.
    private readonly Channel<WriteOp> _queue = Channel.CreateUnbounded<WriteOp>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly SqliteConnection _connection;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        PreparedStatements.Attach(connection);
        new Thread(Run) { IsBackground = true, Name = "Backcall SQLite writer" }.Start();
    }

    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        var op = new WriteOp<T>(work);
        if (!_queue.Writer.TryWrite(op))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter), "The store is closed.");
        }

        // Cancelling the wait does not cancel the write: once queued, it happens, like a sent request.
        return op.Completion.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
        PreparedStatements.Detach(_connection);
    }

    private void Run()
    {
        try
        {
            var batch = new List<WriteOp>(MaxBatch);
            var reader = _queue.Reader;
            while (WaitForWork(reader))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var op))
                {
                    batch.Add(op);
                }

                Apply(batch);
            }

            _stopped.TrySetResult();
        }
        catch (Exception ex)
        {
            _stopped.TrySetException(ex);
        }
    }

    /// <summary>Blocks the writer's thread until a write is queued; false once the queue is closed and empty.</summary>
    private static bool WaitForWork(ChannelReader<WriteOp> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void Apply(List<WriteOp> batch)
    {
        var succeeded = new List<WriteOp>(batch.Count);
        try
        {
            Execute("BEGIN IMMEDIATE");
            if (batch.Count == 1)
            {
                // A write alone in its transaction needs no savepoint: if it fails, the rollback below undoes
                // it and nothing else. Below 1,000 writes a second most batches are one write.
                batch[0].Run(_connection);
                succeeded.Add(batch[0]);
            }
            else
            {
                foreach (var op in batch)
                {
                    if (RunInSavepoint(op))
                    {
                        succeeded.Add(op);
                    }
                }
            }

            Execute("COMMIT");
        }
        catch (Exception ex)
        {
            TryRollback();
            foreach (var op in batch)
            {
                op.Fail(ex);
            }

            return;
        }

        foreach (var op in succeeded)
        {
            op.Complete();
        }
    }

    /// <summary>
    /// Runs one write of a batch in its own savepoint: a failure undoes that write alone and is its caller's.
    /// </summary>
    private bool RunInSavepoint(WriteOp op)
    {
        Execute("SAVEPOINT w");
        try
        {
            op.Run(_connection);
            Execute("RELEASE w");
            return true;
        }
        catch (Exception ex)
        {
            Execute("ROLLBACK TO w");
            Execute("RELEASE w");
            op.Fail(ex);
            return false;
        }
    }

    private void TryRollback()
    {
        try
        {
            Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // The transaction is gone already; nothing to undo.
        }
    }

    /// <summary>The transaction's own statements, prepared once like every other the writer runs.</summary>
    private void Execute(string sql) => _connection.Prepared(sql).ExecuteNonQuery();

    private abstract class WriteOp
    {
        public abstract void Run(SqliteConnection connection);

        public abstract void Complete();

        public abstract void Fail(Exception ex);
    }

    private sealed class WriteOp<T>(Func<SqliteConnection, T> work) : WriteOp
    {
        private T _result = default!;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(SqliteConnection connection) => _result = work(connection);

        public override void Complete() => Completion.TrySetResult(_result);

        public override void Fail(Exception ex) => Completion.TrySetException(ex);
    }
}
