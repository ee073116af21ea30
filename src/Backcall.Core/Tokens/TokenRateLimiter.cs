using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Backcall.Core.Tokens;

/// <summary>Per-token request rate limit (a token bucket per token), applied to every API request.</summary>
/// <remarks>
/// Every API request takes it, so it is a dictionary read and a short lock on the token's own bucket: the
/// partitioned System.Threading.RateLimiting limiter it replaces took a global lock to find the bucket, a
/// second lock inside it and a lease object per request, and replenished on a timer of its own. Tokens are
/// few (one per app), so their buckets are kept for the life of the process.
/// </remarks>
public sealed class TokenRateLimiter(IOptions<TokenOptions> options, TimeProvider? time = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly double _rate = options.Value.RequestsPerSecond;
    private readonly int _burst = options.Value.Burst;
    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();

    /// <summary>True when the request may go on; else how long to wait.</summary>
    public bool TryAcquire(long tokenId, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(tokenId, static (_, s) => new Bucket(s._burst, s.now), (_burst, now));
        lock (bucket)
        {
            var elapsed = _time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + (Math.Max(0, elapsed) * _rate));
            bucket.Stamp = Math.Max(bucket.Stamp, now);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds(Math.Max(0.001, (1 - bucket.Tokens) / _rate));
            return false;
        }
    }

    public void Dispose() => _buckets.Clear();

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        public long Stamp { get; set; } = stamp;
    }
}
