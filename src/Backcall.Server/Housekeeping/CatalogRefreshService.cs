using Backcall.Server.Logging;

namespace Backcall.Server.Housekeeping;

/// <summary>
/// Picks up token and number changes made by another process (the CLI, another node) within a quarter of
/// a second: it reads one counter and reloads only when it moved.
/// </summary>
internal sealed class CatalogRefreshService(Core.Catalog.CatalogCache catalog, TimeProvider time, ILogger<CatalogRefreshService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
