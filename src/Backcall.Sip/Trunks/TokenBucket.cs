namespace Backcall.Sip.Trunks;

/// <summary>
/// One token bucket: <c>rate</c> tokens a second up to <c>burst</c>. A plain struct so tables of them cost
/// no allocation per source; the caller serialises access and supplies the time (TimeProvider timestamps).
/// </summary>
internal struct TokenBucket(double tokens, long stamp)
{
    private double _tokens = tokens;
    private long _stamp = stamp;

    public static TokenBucket Full(int burst, long now) => new(burst, now);

    /// <summary>Takes a token if one is there; otherwise says how long until one will be.</summary>
    public bool TryTake(double rate, int burst, long now, TimeProvider time, out TimeSpan retryAfter)
    {
        var elapsed = time.GetElapsedTime(_stamp, now).TotalSeconds;
        _tokens = Math.Min(burst, _tokens + (Math.Max(0, elapsed) * rate));
        _stamp = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((1 - _tokens) / rate);
        return false;
    }
}
