using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Backcall.Sip.Transactions;

/// <summary>
/// INVITE server transactions in the Confirmed state on an unreliable transport (RFC 3261 §17.2.1), kept as the
/// 64-bit hash of their key and the time their Timer I (T4) ends, not as objects.
/// </summary>
/// <remarks>
/// Confirmed only absorbs: an ACK or INVITE retransmitted after our ACKed final response is dropped until Timer I
/// ends. Nothing of the transaction is needed for that but its key. Kept as the transaction object, every call lived
/// T4 (5 s) past its ACK and was copied by two collections into the GC's oldest generation; at a thousand calls a
/// second that copying was most of every gen0 pause (BENCHMARKS.md). These entries hold no references, so no
/// collection copies or scans them. The hash is seeded per server: two keys could share one only by chance, one in
/// 2^64 per pair, and then a new INVITE would be absorbed (and retransmitted by its client) until Timer I ends.
/// </remarks>
internal sealed class ConfirmedInvites(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly long _seed = Random.Shared.NextInt64();
    private readonly long _origin = time.GetTimestamp();

    /// <summary>The end of each entry's Timer I, in ticks since <see cref="_origin"/>.</summary>
    private readonly Dictionary<ulong, long> _endsAt = [];

    /// <summary>The same entries oldest first: T4 is one interval, so they end in the order they came.</summary>
    private readonly Queue<(ulong Hash, long EndsAt)> _byEnd = new();

    private long Now => time.GetElapsedTime(_origin).Ticks;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                Expire(Now);
                return _endsAt.Count;
            }
        }
    }

    /// <summary>Absorbs the key's ACKs and INVITEs for <paramref name="timerI"/>.</summary>
    public void Add(ReadOnlySpan<char> key, TimeSpan timerI)
    {
        var hash = Hash(key);
        var now = Now;
        var endsAt = now + Math.Max(0, timerI.Ticks);
        lock (_lock)
        {
            Expire(now);
            _endsAt[hash] = endsAt;
            _byEnd.Enqueue((hash, endsAt));
        }
    }

    public bool Contains(ReadOnlySpan<char> key)
    {
        var hash = Hash(key);
        var now = Now;
        lock (_lock)
        {
            Expire(now);
            return _endsAt.ContainsKey(hash);
        }
    }

    private void Expire(long now)
    {
        while (_byEnd.TryPeek(out var head) && head.EndsAt <= now)
        {
            _byEnd.Dequeue();
            // The key may have been confirmed again since (a new INVITE with a reused branch): keep the later end.
            if (_endsAt.TryGetValue(head.Hash, out var endsAt) && endsAt == head.EndsAt)
            {
                _endsAt.Remove(head.Hash);
            }
        }
    }

    private ulong Hash(ReadOnlySpan<char> key) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(key), _seed);
}
