using System.Runtime.CompilerServices;

namespace Backcall.Core.Authorizations;

/// <summary>
/// At most <c>limit</c> new authorizations per key (a user phone, or a token and a phone) in any sliding
/// <c>window</c>: the times of the recent ones are kept per key, so the answer is exact and says exactly when to
/// retry.
/// </summary>
/// <remarks>
/// Replaces a partitioned System.Threading.RateLimiting limiter, which kept a limiter object per phone
/// and scanned all of them ten times a second: with 100,000 phones in a window that was most of the
/// memory and CPU the per-phone rule cost. Here a key costs one dictionary entry (<see cref="RecentTimes"/>),
/// dropped once its window is over, and time comes from the <see cref="TimeProvider"/> like everywhere else in
/// the core.
/// </remarks>
public sealed class PhoneRateLimiter<TKey>(int limit, TimeSpan window, TimeProvider time)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly ShardedDictionary<TKey, RecentTimes> _recent = new();
    private long _nextPrune = long.MinValue;

    /// <summary>Keys that have an authorization within the window (for tests and metrics).</summary>
    public int TrackedKeys
    {
        get
        {
            lock (_gate)
            {
                return _recent.Count;
            }
        }
    }

    /// <summary>Counts one new authorization for the key, or says how long until one is allowed.</summary>
    public bool TryAcquire(TKey key, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow().UtcTicks;
        var windowStart = now - window.Ticks;
        lock (_gate)
        {
            PruneIfDue(now);
            ref var times = ref _recent.GetValueRefOrAddDefault(key, out _);
            while (times.Count > 0 && times.Oldest <= windowStart)
            {
                times.RemoveOldest();
            }

            if (times.Count >= limit)
            {
                retryAfter = TimeSpan.FromTicks(times.Oldest - windowStart);
                return false;
            }

            times.Add(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>
    /// Gives back a slot taken by <see cref="TryAcquire"/> for a request that was then refused: a refused
    /// request must not count, or one app's refusals would lock the phone out for the others. The newest
    /// slot goes back; requests of one phone within moments of each other are alike for the limit.
    /// </summary>
    public void Refund(TKey key)
    {
        lock (_gate)
        {
            ref var times = ref _recent.GetValueRefOrNullRef(key);
            if (!Unsafe.IsNullRef(ref times) && times.Count > 0)
            {
                times.RemoveNewest();
            }
        }
    }

    /// <summary>Once per window, forgets keys whose last authorization is out of it: O(keys), amortized.</summary>
    private void PruneIfDue(long now)
    {
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + window.Ticks;
        var windowStart = now - window.Ticks;
        _recent.RemoveWhere((_, times) => times.Count == 0 || times.Newest <= windowStart);
    }
}
