using Backcall.Core.Authorizations;
using Backcall.Server.Logging;

namespace Backcall.Server.Housekeeping;

/// <summary>
/// Runs the core's housekeeping on a timer: the expiry sweep every second (so expiry notices go out
/// promptly), pruning by the retention setting every hour.
/// </summary>
internal sealed class HousekeepingService(ExpiryService expiry, TimeProvider time, ILogger<HousekeepingService> logger)
    : BackgroundService
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepEvery, time);
        var nextPrune = time.GetUtcNow();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var expired = await expiry.SweepAsync(stoppingToken).ConfigureAwait(false);
                if (expired > 0)
                {
                    Log.Expired(logger, expired);
                }

                if (time.GetUtcNow() >= nextPrune)
                {
                    nextPrune = time.GetUtcNow() + PruneEvery;
                    var pruned = await expiry.PruneAsync(stoppingToken).ConfigureAwait(false);
                    if (pruned > 0)
                    {
                        Log.Pruned(logger, pruned);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.HousekeepingFailed(logger, ex);
            }
        }
    }
}
