using System.Runtime.InteropServices;

namespace Backcall.Core.Authorizations;

/// <summary>
/// A dictionary kept as <see cref="ShardCount"/> small ones, chosen by the key's hash, for the maps that hold an
/// entry per live authorization or phone. Not thread-safe: its owner's lock guards it, as for a dictionary.
/// </summary>
/// <remarks>
/// One dictionary of 100,000 entries has a table of several megabytes, which goes to the large object heap. That
/// heap is not compacted: each time the table doubled, the old one became a hole that stayed committed (15 MB of
/// the 218 MB the server had with 100,000 live authorizations). A shard's table of the largest entries (40 bytes)
/// stays under that heap's 85,000 bytes up to 1,931 entries a shard, about 490,000 in all, so it grows and is
/// collected like any small object; a shard that outgrows it leaves a hole the size the others need next.
/// </remarks>
internal sealed class ShardedDictionary<TKey, TValue>
    where TKey : notnull
{
    internal const int ShardCount = 1 << ShardBits;
    private const int ShardBits = 8;

    private readonly Dictionary<TKey, TValue>[] _shards = new Dictionary<TKey, TValue>[ShardCount];
    private readonly IEqualityComparer<TKey> _comparer;

    public ShardedDictionary(IEqualityComparer<TKey>? comparer = null)
    {
        _comparer = comparer ?? EqualityComparer<TKey>.Default;
        for (var i = 0; i < ShardCount; i++)
        {
            _shards[i] = new Dictionary<TKey, TValue>(_comparer);
        }
    }

    /// <summary>Entries in all shards: O(shards), for metrics and tests, not for a hot path.</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var shard in _shards)
            {
                count += shard.Count;
            }

            return count;
        }
    }

    /// <summary>Every value, shard by shard; an entry of the shard being walked may be removed meanwhile.</summary>
    public IEnumerable<TValue> Values => _shards.SelectMany(shard => shard.Values);

    public TValue this[TKey key]
    {
        get => ShardOf(key)[key];
        set => ShardOf(key)[key] = value;
    }

    public bool TryGetValue(TKey key, out TValue value) => ShardOf(key).TryGetValue(key, out value!);

    public bool Remove(TKey key) => ShardOf(key).Remove(key);

    /// <summary>The value's slot, added as the default when missing (see <see cref="CollectionsMarshal"/>).</summary>
    public ref TValue? GetValueRefOrAddDefault(TKey key, out bool exists) =>
        ref CollectionsMarshal.GetValueRefOrAddDefault(ShardOf(key), key, out exists);

    /// <summary>The value's slot, or a null reference when missing (see <see cref="CollectionsMarshal"/>).</summary>
    public ref TValue GetValueRefOrNullRef(TKey key) => ref CollectionsMarshal.GetValueRefOrNullRef(ShardOf(key), key);

    /// <summary>
    /// Removes every entry <paramref name="remove"/> says to, shard by shard: the one walk that may change the map.
    /// </summary>
    public int RemoveWhere(Func<TKey, TValue, bool> remove)
    {
        var removed = 0;
        foreach (var shard in _shards)
        {
            foreach (var (key, value) in shard)
            {
                // Removing the current entry while enumerating is allowed since .NET Core 3.0.
                if (remove(key, value) && shard.Remove(key))
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>Each shard's entries and table size, for tests of how keys spread and how big a table gets.</summary>
    internal IEnumerable<(int Count, int Capacity)> Shards() =>
        _shards.Select(shard => (shard.Count, shard.EnsureCapacity(0)));

    // The top bits of a Fibonacci product: the shard's own table takes its bucket from the hash modulo a prime,
    // so choosing the shard by the low bits would leave each table's keys alike in those bits.
    private Dictionary<TKey, TValue> ShardOf(TKey key) =>
        _shards[(uint)_comparer.GetHashCode(key) * 0x9E3779B9u >> (32 - ShardBits)];
}
