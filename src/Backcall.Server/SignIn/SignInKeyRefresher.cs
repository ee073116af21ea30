namespace Backcall.Server.SignIn;

/// <summary>
/// Reads the keys again every minute (another node may have rotated) and at the moment a key activates or
/// retires, so a published key starts signing on time on every node.
/// </summary>
internal sealed class SignInKeyRefresher(SignInKeyRing ring, TimeProvider time, ILogger<SignInKeyRefresher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Poll;
            if (ring.IsLoaded && ring.Current.NextChange is { } next && next - time.GetUtcNow() < wait)
            {
                wait = next - time.GetUtcNow() + TimeSpan.FromMilliseconds(50);
            }

            try
            {
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, time, stoppingToken);
                if (await ring.RefreshAsync(stoppingToken))
                {
                    SignInLog.KeysChanged(logger, ring.Current.Fingerprint);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                SignInLog.KeyRefreshFailed(logger, ex);
            }
        }
    }
}
