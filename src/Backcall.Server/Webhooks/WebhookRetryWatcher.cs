using Backcall.Core.Webhooks;
using Backcall.Server.Housekeeping;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Notices webhook retries asked for by another process (the CLI writes the database, not to this
/// server) as catalog changes are noticed: it reads one counter each
/// <see cref="CatalogRefreshService.Interval"/>, and <see cref="WebhookAdmin"/> wakes the dispatcher when it moved.
/// </summary>
internal sealed class WebhookRetryWatcher(WebhookAdmin webhooks, TimeProvider time, ILogger<WebhookRetryWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CatalogRefreshService.Interval, time);
        do
        {
            try
            {
                await webhooks.PollRetriesAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                WebhookLog.DispatcherFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
