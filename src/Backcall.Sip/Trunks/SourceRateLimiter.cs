using System.Collections.Concurrent;
using System.Net;

namespace Backcall.Sip.Trunks;

/// <summary>
/// Per-source-address token bucket. Checked before parsing so a flood costs one dictionary lookup per
/// packet. Buckets of quiet sources are swept when the table grows, bounding memory under spoofed floods.
/// </summary>
internal sealed class SourceRateLimiter(double tokensPerSecond, int burst, TimeProvider time)
{
    private const int SweepThreshold = 10_000;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();

    public bool Enabled => tokensPerSecond > 0;

    public bool TryAcquire(IPAddress source)
    {
        if (!Enabled)
        {
            return true;
        }

        var now = time.GetTimestamp();
        if (_buckets.Count > SweepThreshold)
        {
            Sweep(now);
        }

        var bucket = _buckets.GetOrAdd(source, static (_, state) => new Bucket(state.burst, state.now), (burst, now));
        lock (bucket)
        {
            var elapsed = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(burst, bucket.Tokens + (elapsed * tokensPerSecond));
            bucket.Stamp = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private void Sweep(long now)
    {
        // A bucket that has been idle long enough to refill completely carries no state worth keeping.
        var full = TimeSpan.FromSeconds(burst / tokensPerSecond);
        foreach (var (address, bucket) in _buckets)
        {
            if (time.GetElapsedTime(bucket.Stamp, now) > full)
            {
                _buckets.TryRemove(address, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens = tokens;
        public long Stamp = stamp;
    }
}
