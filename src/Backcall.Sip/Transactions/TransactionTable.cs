using System.Collections.Concurrent;

namespace Backcall.Sip.Transactions;

/// <summary>Live server transactions by key. Entries remove themselves when they terminate.</summary>
internal sealed class TransactionTable
{
    private readonly ConcurrentDictionary<string, ServerTransaction> _byKey;
    private readonly ConcurrentDictionary<string, ServerTransaction>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public TransactionTable()
    {
        _byKey = new(StringComparer.Ordinal);
        _bySpan = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _byKey.Count;

    public bool TryGet(string key, out ServerTransaction transaction) => _byKey.TryGetValue(key, out transaction!);

    /// <summary>
    /// The same look-up for a key written into a buffer (no string for messages that only find their transaction).
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> key, out ServerTransaction transaction) =>
        _bySpan.TryGetValue(key, out transaction!);

    public bool TryAdd(ServerTransaction transaction) => _byKey.TryAdd(transaction.Key, transaction);

    public void Remove(ServerTransaction transaction) =>
        _byKey.TryRemove(new KeyValuePair<string, ServerTransaction>(transaction.Key, transaction));

    public IEnumerable<ServerTransaction> All => _byKey.Values;
}
