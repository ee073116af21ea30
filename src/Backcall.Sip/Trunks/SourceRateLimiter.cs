using System.Net;

namespace Backcall.Sip.Trunks;

/// <summary>
/// Per-source token buckets for sources outside every trunk (counted by <see cref="SourceKey"/>: IPv4
/// address, IPv6 /64). Memory is bounded: at most <c>maxSources</c> buckets, in a fixed array threaded on a
/// least-recently-used list, so a new source past the bound takes the slot of the one heard from longest ago.
/// Every operation is O(1) (a dictionary lookup and a few index moves); nothing scans the table, so a flood
/// of spoofed sources costs the same per packet as one source.
/// </summary>
internal sealed class SourceRateLimiter(double tokensPerSecond, int burst, int maxSources, TimeProvider time)
{
    private const int None = -1;
    private readonly Lock _lock = new();
    private readonly Dictionary<SourceKey, int> _slots = new();
    private readonly List<Entry> _entries = [];
    private int _newest = None;
    private int _oldest = None;

    public bool Enabled => tokensPerSecond > 0;

    /// <summary>Sources currently tracked (never more than the bound).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count;
            }
        }
    }

    public bool TryAcquire(IPAddress source)
    {
        if (!Enabled)
        {
            return true;
        }

        var key = SourceKey.Of(source);
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var slot = Touch(key, now);
            var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_entries);
            return entries[slot].Bucket.TryTake(tokensPerSecond, burst, now, time, out _);
        }
    }

    /// <summary>The slot of <paramref name="key"/>, made the newest; a new source gets a full bucket.</summary>
    private int Touch(SourceKey key, long now)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            Unlink(slot);
            Link(slot);
            return slot;
        }

        var fresh = new Entry { Key = key, Bucket = TokenBucket.Full(burst, now) };
        if (_entries.Count < maxSources)
        {
            slot = _entries.Count;
            _entries.Add(fresh);
        }
        else
        {
            slot = _oldest;
            Unlink(slot);
            _slots.Remove(_entries[slot].Key);
            _entries[slot] = fresh;
        }

        _slots[key] = slot;
        Link(slot);
        return slot;
    }

    private void Link(int slot)
    {
        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_entries);
        entries[slot].Newer = None;
        entries[slot].Older = _newest;
        if (_newest != None)
        {
            entries[_newest].Newer = slot;
        }

        _newest = slot;
        if (_oldest == None)
        {
            _oldest = slot;
        }
    }

    private void Unlink(int slot)
    {
        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_entries);
        var (newer, older) = (entries[slot].Newer, entries[slot].Older);
        if (newer != None)
        {
            entries[newer].Older = older;
        }
        else
        {
            _newest = older;
        }

        if (older != None)
        {
            entries[older].Newer = newer;
        }
        else
        {
            _oldest = newer;
        }
    }

    private struct Entry
    {
        public SourceKey Key;
        public TokenBucket Bucket;
        public int Newer;
        public int Older;
    }
}
