using Backcall.Server.Logging;
using Backcall.Server.Storage;

namespace Backcall.Server.Housekeeping;

/// <summary>
/// Picks up token and number changes made by another process (the CLI) within a quarter of a second: it
/// reads one counter and reloads only when it moved. Only for a database without a change feed (SQLite):
/// on PostgreSQL the catalog changes arrive once, through the feed (<see cref="Cluster.ClusterSyncService"/>).
/// </summary>
internal sealed class CatalogRefreshService(
    Core.Catalog.CatalogCache catalog,
    ClusterChangeFeed changes,
    TimeProvider time,
    ILogger<CatalogRefreshService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (changes.Feed is not null)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await catalog.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.CatalogRefreshFailed(logger, ex);
            }
        }
    }
}
