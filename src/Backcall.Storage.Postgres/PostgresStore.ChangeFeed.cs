using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Backcall.Core.Storage;
using Dapper;
using Npgsql;

namespace Backcall.Storage.Postgres;

public sealed partial class PostgresStore
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    /// <summary>Names this store object in its notifications (for diagnostics).</summary>
    internal string InstanceId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// LISTENs on a dedicated connection and yields changes as they commit (this store's own included). When the
    /// connection fails it reconnects with backoff and yields <see cref="StoreChangeKind.Resync"/>, as it
    /// does after the first LISTEN: notifications sent while nobody listened are gone, so the reader reloads.
    /// </summary>
    public async IAsyncEnumerable<StoreChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var changes = Channel.CreateUnbounded<StoreChange>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var listener = Task.Run(() => ListenAsync(changes.Writer, cancellationToken), CancellationToken.None);
        try
        {
            await foreach (var change in changes.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            await listener.ConfigureAwait(false);
        }
    }

    private async Task ListenAsync(ChannelWriter<StoreChange> writer, CancellationToken ct)
    {
        var retry = FirstRetry;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var c = new NpgsqlConnection(_listenConnectionString);
                c.Notification += (_, e) =>
                {
                    foreach (var change in ChangeNotification.Parse(e.Payload))
                    {
                        writer.TryWrite(change);
                    }
                };
                await c.OpenAsync(ct).ConfigureAwait(false);
                await c.ExecuteAsync(Cmd("LISTEN " + ChangeNotification.Channel, null, null, ct)).ConfigureAwait(false);
                Log.Listening(_logger, Database, ChangeNotification.Channel);
                writer.TryWrite(new StoreChange(StoreChangeKind.Resync));
                retry = FirstRetry;
                while (true)
                {
                    await c.WaitAsync(ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Log.ListenFailed(_logger, ex, retry.TotalMilliseconds);
                try
                {
                    await Task.Delay(retry, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }

        writer.TryComplete();
    }

    private static Task NotifyAsync(NpgsqlConnection c, NpgsqlTransaction tx, string payload, CancellationToken ct) =>
        c.ExecuteAsync(
            Cmd("SELECT pg_notify(@channel, @payload)", new { channel = ChangeNotification.Channel, payload }, tx, ct));
}
