namespace Backcall.Core.Authorizations;

/// <summary>
/// The times (UTC ticks) of one key's recent requests, oldest first, for <see cref="PhoneRateLimiter{TKey}"/>.
/// </summary>
/// <remarks>
/// Almost every phone has one request in a window, so the first time is held inline and a ring is made only for
/// a second: a queue object and its array per phone were a third of the server's memory with 100,000 live
/// authorizations. Sixteen bytes (a time, or zero for none, and the ring's reference) keep each dictionary entry
/// small. A mutable struct, kept only inside the limiter's dictionary and changed through a reference.
/// </remarks>
internal struct RecentTimes
{
    private long _only;
    private Ring? _ring;

    public readonly int Count => _ring?.Count ?? (_only != 0 ? 1 : 0);

    public readonly long Oldest => _ring is null ? _only : _ring.Times[_ring.Start];

    public readonly long Newest =>
        _ring is null ? _only : _ring.Times[(_ring.Start + _ring.Count - 1) % _ring.Times.Length];

    /// <param name="ticks">Not zero (zero marks an empty inline slot): UTC ticks of a real clock never are.</param>
    public void Add(long ticks)
    {
        if (_ring is null)
        {
            if (_only == 0)
            {
                _only = ticks;
                return;
            }

            _ring = new Ring { Times = new long[4], Count = 1 };
            _ring.Times[0] = _only;
        }
        else if (_ring.Count == _ring.Times.Length)
        {
            var larger = new long[_ring.Times.Length * 2];
            for (var i = 0; i < _ring.Count; i++)
            {
                larger[i] = _ring.Times[(_ring.Start + i) % _ring.Times.Length];
            }

            (_ring.Times, _ring.Start) = (larger, 0);
        }

        _ring.Times[(_ring.Start + _ring.Count) % _ring.Times.Length] = ticks;
        _ring.Count++;
    }

    public void RemoveOldest()
    {
        if (_ring is null)
        {
            _only = 0;
            return;
        }

        _ring.Start = (_ring.Start + 1) % _ring.Times.Length;
        _ring.Count--;
    }

    public void RemoveNewest()
    {
        if (_ring is null)
        {
            _only = 0;
            return;
        }

        _ring.Count--;
    }

    /// <summary>The times of a key with more than one, from its second request on.</summary>
    private sealed class Ring
    {
        public required long[] Times;
        public int Start;
        public int Count;
    }
}
