using System.Collections.Concurrent;

namespace Backcall.Sip.Transactions;

/// <summary>Live server transactions by key. Entries remove themselves when they terminate.</summary>
internal sealed class TransactionTable
{
    private readonly ConcurrentDictionary<string, ServerTransaction> _byKey = new(StringComparer.Ordinal);

    public int Count => _byKey.Count;

    public bool TryGet(string key, out ServerTransaction transaction) => _byKey.TryGetValue(key, out transaction!);

    public bool TryAdd(ServerTransaction transaction) => _byKey.TryAdd(transaction.Key, transaction);

    public void Remove(ServerTransaction transaction) => _byKey.TryRemove(new KeyValuePair<string, ServerTransaction>(transaction.Key, transaction));

    public IEnumerable<ServerTransaction> All => _byKey.Values;
}
