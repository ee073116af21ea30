namespace Backcall.Core.Tokens;

/// <summary>Why a request for a number was refused, by the answer the API gave.</summary>
public enum Refusal
{
    /// <summary>402: no free authorizations and no balance left.</summary>
    Quota,

    /// <summary>429: the token or the phone asked too often.</summary>
    RateLimited,

    /// <summary>503: no number of the pool was free for this phone (the pool is saturated).</summary>
    PoolFull,
}

/// <summary>Refusals of one token since a moment.</summary>
public sealed record RefusalCount(long TokenId, long Quota, long RateLimited, long PoolFull);

/// <summary>
/// Requests for a number refused with 402, 429 or 503, per token and minute over the last day, for the operator
/// console. Refusals change nothing in the store, so they are counted here, in this process's memory: the
/// figures start at zero after a restart and count this node only.
/// </summary>
public sealed class RefusalCounter(TimeProvider time)
{
    private const long KeptMinutes = 24 * 60;
    private readonly Dictionary<(long Minute, long TokenId), long[]> _counts = [];
    private readonly Lock _gate = new();
    private long _prunedAt;

    public void Record(long tokenId, Refusal refusal)
    {
        var minute = Minute(time.GetUtcNow());
        lock (_gate)
        {
            if (!_counts.TryGetValue((minute, tokenId), out var counts))
            {
                _counts[(minute, tokenId)] = counts = new long[3];
            }

            counts[(int)refusal]++;
            if (minute != _prunedAt)
            {
                // Once a minute at most: drop what fell out of the day kept.
                _prunedAt = minute;
                foreach (var key in _counts.Keys.Where(k => k.Minute <= minute - KeptMinutes).ToList())
                {
                    _counts.Remove(key);
                }
            }
        }
    }

    /// <summary>Refusals since <paramref name="since"/> (to the minute), per token that had any.</summary>
    public IReadOnlyList<RefusalCount> Since(DateTimeOffset since)
    {
        var first = Minute(since);
        lock (_gate)
        {
            return
            [
                .. _counts.Where(c => c.Key.Minute >= first)
                    .GroupBy(c => c.Key.TokenId)
                    .Select(g => new RefusalCount(
                        g.Key,
                        g.Sum(c => c.Value[(int)Refusal.Quota]),
                        g.Sum(c => c.Value[(int)Refusal.RateLimited]),
                        g.Sum(c => c.Value[(int)Refusal.PoolFull])))
                    .OrderBy(c => c.TokenId),
            ];
        }
    }

    private static long Minute(DateTimeOffset t) => t.ToUnixTimeSeconds() / 60;
}
