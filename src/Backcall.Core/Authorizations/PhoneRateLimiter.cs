namespace Backcall.Core.Authorizations;

/// <summary>
/// At most <c>limit</c> new authorizations per user phone in any sliding <c>window</c>: the times of the
/// recent ones are kept per phone, so the answer is exact and says exactly when to retry.
/// </summary>
/// <remarks>
/// Replaces a partitioned System.Threading.RateLimiting limiter, which kept a limiter object per phone
/// and scanned all of them ten times a second: with 100,000 phones in a window that was most of the
/// memory and CPU the per-phone rule cost. Here a phone costs a small queue, dropped once its window is
/// over, and time comes from the <see cref="TimeProvider"/> like everywhere else in the core.
/// </remarks>
public sealed class PhoneRateLimiter(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recent = new(StringComparer.Ordinal);
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>Phones that have an authorization within the window (for tests and metrics).</summary>
    public int TrackedPhones
    {
        get
        {
            lock (_gate)
            {
                return _recent.Count;
            }
        }
    }

    /// <summary>Counts one new authorization for the phone, or says how long until one is allowed.</summary>
    public bool TryAcquire(string phone, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            PruneIfDue(now);
            if (!_recent.TryGetValue(phone, out var times))
            {
                _recent[phone] = times = new Queue<DateTimeOffset>(Math.Min(limit, 4));
            }

            while (times.Count > 0 && times.Peek() <= now - window)
            {
                times.Dequeue();
            }

            if (times.Count >= limit)
            {
                retryAfter = times.Peek() + window - now;
                return false;
            }

            times.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>
    /// Gives back a slot taken by <see cref="TryAcquire"/> for a request that was then refused: a refused
    /// request must not count, or one app's refusals would lock the phone out for the others. The newest
    /// slot goes back; requests of one phone within moments of each other are alike for the limit.
    /// </summary>
    public void Refund(string phone)
    {
        lock (_gate)
        {
            if (!_recent.TryGetValue(phone, out var times) || times.Count == 0)
            {
                return;
            }

            var kept = times.ToArray()[..^1];
            times.Clear();
            foreach (var t in kept)
            {
                times.Enqueue(t);
            }
        }
    }

    /// <summary>Once per window, forgets phones whose last authorization is out of it: O(phones), amortized.</summary>
    private void PruneIfDue(DateTimeOffset now)
    {
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + window;
        List<string>? idle = null;
        foreach (var (phone, times) in _recent)
        {
            if (times.Count == 0 || times.Last() <= now - window)
            {
                (idle ??= []).Add(phone);
            }
        }

        foreach (var phone in idle ?? [])
        {
            _recent.Remove(phone);
        }
    }
}
