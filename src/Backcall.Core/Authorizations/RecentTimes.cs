namespace Backcall.Core.Authorizations;

/// <summary>
/// The times (UTC ticks) of one key's recent requests, oldest first, for <see cref="PhoneRateLimiter{TKey}"/>.
/// </summary>
/// <remarks>
/// Almost every phone has one request in a window, so the first time is held inline and a ring is made only for
/// a second: a queue object and its array per phone were a third of the server's memory with 100,000 live
/// authorizations. A mutable struct, kept only inside the limiter's dictionary and changed through a reference.
/// </remarks>
internal struct RecentTimes
{
    private long _only;
    private long[]? _ring;
    private int _start;

    public int Count { get; private set; }

    public readonly long Oldest => _ring is null ? _only : _ring[_start];

    public readonly long Newest => _ring is null ? _only : _ring[(_start + Count - 1) % _ring.Length];

    public void Add(long ticks)
    {
        if (_ring is null)
        {
            if (Count == 0)
            {
                _only = ticks;
                Count = 1;
                return;
            }

            _ring = new long[4];
            _ring[0] = _only;
            _start = 0;
        }
        else if (Count == _ring.Length)
        {
            var larger = new long[_ring.Length * 2];
            for (var i = 0; i < Count; i++)
            {
                larger[i] = _ring[(_start + i) % _ring.Length];
            }

            _ring = larger;
            _start = 0;
        }

        _ring[(_start + Count) % _ring.Length] = ticks;
        Count++;
    }

    public void RemoveOldest()
    {
        if (_ring is not null)
        {
            _start = (_start + 1) % _ring.Length;
        }

        Count--;
    }

    public void RemoveNewest() => Count--;
}
