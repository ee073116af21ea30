using Microsoft.Data.Sqlite;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file from a connection of its own, once a second.
/// </summary>
/// <remarks>
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold, so one unlucky batch of
/// writes (and every SIP call and API request waiting on it) pays for copying a thousand pages. A PASSIVE
/// checkpoint from another connection never blocks the writer or the readers; the writer's connection has
/// automatic checkpoints turned off.
/// </remarks>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SqliteCheckpointer(Func<SqliteConnection> open) => _loop = RunAsync(open, _stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static async Task RunAsync(Func<SqliteConnection> open, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            try
            {
                using var connection = open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                command.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Busy or locked for a moment: the next tick checkpoints what this one could not.
            }
        }
    }
}
