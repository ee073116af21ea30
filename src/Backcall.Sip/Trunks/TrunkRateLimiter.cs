namespace Backcall.Sip.Trunks;

/// <summary>
/// The limits trunks set for themselves (<see cref="TrunkOptions.RateLimitPerSecond"/>; none by default):
/// one bucket per trunk for the new requests it sends. Over it, the trunk is told to retry later (503 with
/// Retry-After), never ignored: a trusted peer must always learn what happened to its request.
/// </summary>
internal sealed class TrunkRateLimiter
{
    private readonly Dictionary<SipTrunk, Limited> _limits = [];
    private readonly TimeProvider _time;

    public TrunkRateLimiter(IEnumerable<SipTrunk> trunks, TimeProvider time)
    {
        _time = time;
        foreach (var trunk in trunks)
        {
            if (trunk.RateLimitPerSecond > 0)
            {
                _limits[trunk] = new Limited(
                    trunk.RateLimitPerSecond,
                    trunk.RateLimitBurst,
                    TokenBucket.Full(trunk.RateLimitBurst, time.GetTimestamp()));
            }
        }
    }

    /// <summary>True when the trunk is within its limit (or has none); else how long until it will be.</summary>
    public bool TryAcquire(SipTrunk trunk, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_limits.TryGetValue(trunk, out var limited))
        {
            return true;
        }

        lock (limited)
        {
            return limited.Bucket.TryTake(limited.Rate, limited.Burst, _time.GetTimestamp(), _time, out retryAfter);
        }
    }

    private sealed class Limited(double rate, int burst, TokenBucket bucket)
    {
        public readonly double Rate = rate;
        public readonly int Burst = burst;
        public TokenBucket Bucket = bucket;
    }
}
