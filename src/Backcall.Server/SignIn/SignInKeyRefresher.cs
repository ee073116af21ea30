namespace Backcall.Server.SignIn;

/// <summary>
/// Reads the keys again every minute (another node may have rotated) and at the moment a key activates or
/// retires, so a published key starts signing on time on every node.
/// </summary>
internal sealed class SignInKeyRefresher(
    SignInKeyRing ring,
    TimeProvider time,
    ILogger<SignInKeyRefresher> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // A rotation made on this node refreshes the ring at once, with a key that activates sooner than the
            // wait in progress was planned for: a change of the ring ends the wait, and the next one is planned
            // from the keys as they are now.
            using var replan = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            using var onChange = ring.GetChangeToken()
                .RegisterChangeCallback(static s => ((CancellationTokenSource)s!).Cancel(), replan);
            try
            {
                await Task.Delay(Wait(), time, replan.Token);
                if (await ring.RefreshAsync(stoppingToken))
                {
                    SignInLog.KeysChanged(logger, ring.Current.Fingerprint);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (replan.IsCancellationRequested)
            {
                // The ring changed meanwhile: plan the wait again.
            }
            catch (Exception ex)
            {
                SignInLog.KeyRefreshFailed(logger, ex);
            }
        }
    }

    /// <summary>Until the next poll, or just past the next activation or retirement when that comes sooner.</summary>
    private TimeSpan Wait()
    {
        if (ring.IsLoaded && ring.Current.NextChange is { } next && next - time.GetUtcNow() < Poll)
        {
            var untilChange = next - time.GetUtcNow() + TimeSpan.FromMilliseconds(50);
            return untilChange < TimeSpan.Zero ? TimeSpan.Zero : untilChange;
        }

        return Poll;
    }
}
