using System.Collections.Concurrent;

namespace Backcall.Sip.Transactions;

/// <summary>
/// Live server transactions by key. Entries remove themselves when they terminate; a confirmed INVITE transaction on
/// an unreliable transport leaves only its key behind (<see cref="ConfirmedInvites"/>).
/// </summary>
internal sealed class TransactionTable
{
    private readonly ConcurrentDictionary<string, ServerTransaction> _byKey;
    private readonly ConcurrentDictionary<string, ServerTransaction>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly ConfirmedInvites _confirmed;

    public TransactionTable(TimeProvider time)
    {
        _byKey = new(StringComparer.Ordinal);
        _bySpan = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();
        _confirmed = new ConfirmedInvites(time);
    }

    /// <summary>Transactions not terminated: the live ones and the confirmed INVITEs absorbing for Timer I.</summary>
    public int Count => _byKey.Count + _confirmed.Count;

    public bool TryGet(string key, out ServerTransaction transaction) => _byKey.TryGetValue(key, out transaction!);

    /// <summary>
    /// The same look-up for a key written into a buffer (no string for messages that only find their transaction).
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> key, out ServerTransaction transaction) =>
        _bySpan.TryGetValue(key, out transaction!);

    public bool TryAdd(ServerTransaction transaction) => _byKey.TryAdd(transaction.Key, transaction);

    public void Remove(ServerTransaction transaction) =>
        _byKey.TryRemove(new KeyValuePair<string, ServerTransaction>(transaction.Key, transaction));

    /// <summary>
    /// The INVITE transaction was confirmed (its ACK came): it absorbs retransmissions by its key alone until Timer I
    /// ends, and the object is let go. The key is recorded before the object leaves, so a retransmission in between
    /// finds one of the two.
    /// </summary>
    public void Confirm(InviteServerTransaction transaction, TimeSpan timerI)
    {
        _confirmed.Add(transaction.Key, timerI);
        Remove(transaction);
    }

    /// <summary>Confirmed INVITE transactions absorbing retransmissions until their Timer I ends.</summary>
    public int ConfirmedCount => _confirmed.Count;

    /// <summary>An ACK or INVITE with this key belongs to a confirmed INVITE transaction and is absorbed.</summary>
    public bool IsConfirmed(ReadOnlySpan<char> key) => _confirmed.Contains(key);

    public IEnumerable<ServerTransaction> All => _byKey.Values;
}
