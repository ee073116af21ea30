using System.Runtime.CompilerServices;
using Backcall.Core.Phones;

namespace Backcall.Core.Authorizations;

/// <summary>
/// The in-memory working set: every pending authorization and the recently finished ones, indexed by id,
/// (called number, caller) pair, called number and, for identify mode, the number it holds. Checks and matching
/// read only this; the database is written through and read only for what has left the working set.
/// </summary>
/// <remarks>
/// One lock guards all maps: each operation is a few dictionary look-ups, far cheaper than the database
/// write that follows it, so a finer scheme would buy nothing measurable.
/// </remarks>
public sealed class AuthorizationIndex
{
    private readonly Lock _gate = new();
    // The two maps with an entry per authorization are sharded, to keep their tables off the large object heap.
    // There is no map by QR key: its one reader is the QR image, which renders a PNG per request and served as many
    // a second reading the store's unique index as with the map (BENCHMARKS.md, "Fourth pass"); the map cost about
    // 55 bytes per live authorization.
    private readonly ShardedDictionary<long, Authorization> _byId = new();
    private readonly ShardedDictionary<(string Called, string Caller), long> _byPair = new();
    private readonly Dictionary<string, PendingOnNumber> _pendingByCalled = new(StringComparer.Ordinal);

    /// <summary>The newest identify authorization on each number, live or recently finished.</summary>
    private readonly Dictionary<string, long> _identifyOn = new(StringComparer.Ordinal);

    /// <summary>Pairs being allocated right now (chosen, not yet written), with the token asking.</summary>
    private readonly Dictionary<(string Called, string Caller), long> _reserved = [];

    /// <summary>
    /// Numbers being allocated right now to an identify authorization (for every phone), with the token.
    /// </summary>
    private readonly Dictionary<string, long> _reservedExclusive = new(StringComparer.Ordinal);

    // The sweep runs every second under this lock: walking every authorization there stalled every call and
    // check for tens of milliseconds with a few hundred thousand in memory. These queues give it only what is
    // due. An entry can be stale (its authorization changed that moment, or left memory): each one taken is
    // checked against the current record.

    // Priorities are UTC ticks: a third smaller than DateTimeOffset per entry, two entries per authorization.

    /// <summary>Pending authorizations by expiry.</summary>
    private readonly PriorityQueue<long, long> _expiring = new();

    /// <summary>
    /// Finished authorizations by <see cref="Authorization.FinishedAt"/>, for eviction. A pending one joins when a
    /// call or the sweep finishes it, not before: the queue then holds the recently finished, not every live one
    /// (with 100,000 waiting, 2 MB on the large object heap), and one whose expiry the sweep could not write yet
    /// stays in memory, where the sweep finds it again.
    /// </summary>
    private readonly PriorityQueue<long, long> _finishing = new();

    public bool TryGet(long id, out Authorization authorization)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out authorization!);
        }
    }

    /// <summary>The latest authorization for this (called, caller) pair, live or recently finished.</summary>
    public Authorization? FindByPair(E164Phone called, E164Phone caller)
    {
        lock (_gate)
        {
            return _byPair.TryGetValue((called.Value, caller.Value), out var id) && _byId.TryGetValue(id, out var a)
                ? a
                : null;
        }
    }

    /// <summary>The newest identify authorization on this number, live or recently finished.</summary>
    public Authorization? FindIdentifyOn(E164Phone called)
    {
        lock (_gate)
        {
            return _identifyOn.TryGetValue(called.Value, out var id) && _byId.TryGetValue(id, out var a) ? a : null;
        }
    }

    /// <summary>
    /// The newest authorizations pending on a number at <paramref name="now"/>, at most
    /// <paramref name="max"/>: a busy number may have thousands, and the callers of this only need a few.
    /// </summary>
    public IReadOnlyList<Authorization> PendingOn(E164Phone called, DateTimeOffset now, int max = int.MaxValue)
    {
        lock (_gate)
        {
            if (!_pendingByCalled.TryGetValue(called.Value, out var pending))
            {
                return [];
            }

            // Newest first, so a cap stops the walk: a stranger's call on a number with thousands waiting
            // costs the few it hints, not a pass over all of them under the lock every call needs.
            var newest = new List<Authorization>(Math.Min(pending.Count, Math.Min(max, 64)));
            for (var i = 0; i < pending.Count && newest.Count < max; i++)
            {
                if (_byId.TryGetValue(pending.Newest(i), out var a) && a.IsLiveAt(now))
                {
                    newest.Add(a);
                }
            }

            return newest;
        }
    }

    /// <summary>
    /// Picks uniformly at random a number from <paramref name="pool"/> that holds no live authorization
    /// for <paramref name="userPhone"/> (those in <paramref name="replacing"/> count as free: the new one
    /// supersedes them) and is not held for an identify authorization, and reserves the pair for
    /// <paramref name="tokenId"/> until <see cref="Release"/> or <see cref="Upsert"/>; null when every number is busy
    /// for this phone.
    /// </summary>
    public E164Phone? Reserve(IReadOnlyList<E164Phone> pool, E164Phone userPhone, DateTimeOffset now) =>
        Reserve(pool, userPhone, now, 0, [], int.MaxValue, out _);

    /// <inheritdoc cref="Reserve(IReadOnlyList{E164Phone}, E164Phone, DateTimeOffset)"/>
    /// <param name="capped">True when nothing was reserved because the token already has
    /// <paramref name="maxForToken"/> numbers being given for this phone.</param>
    public E164Phone? Reserve(
        IReadOnlyList<E164Phone> pool,
        E164Phone userPhone,
        DateTimeOffset now,
        long tokenId,
        IReadOnlyCollection<long> replacing,
        int maxForToken,
        out bool capped)
    {
        lock (_gate)
        {
            capped = CountReserved(tokenId, userPhone) >= maxForToken;
            if (capped)
            {
                return null;
            }

            Span<int> free = pool.Count <= 1024 ? stackalloc int[pool.Count] : new int[pool.Count];
            var count = 0;
            for (var i = 0; i < pool.Count; i++)
            {
                var pair = (pool[i].Value, userPhone.Value);
                if (_reserved.ContainsKey(pair) || IsHeldForIdentify(pool[i].Value, now))
                {
                    continue;
                }

                if (_byPair.TryGetValue(pair, out var id) && _byId.TryGetValue(id, out var a) && a.IsLiveAt(now)
                    && !replacing.Contains(id))
                {
                    continue;
                }

                free[count++] = i;
            }

            if (count == 0)
            {
                return null;
            }

            var chosen = pool[free[Random.Shared.Next(count)]];
            _reserved[(chosen.Value, userPhone.Value)] = tokenId;
            return chosen;
        }
    }

    /// <summary>
    /// Identify mode: picks uniformly at random a number of <paramref name="pool"/> that nothing is waiting on
    /// (no live authorization of any phone, none being allocated) and reserves it whole for
    /// <paramref name="tokenId"/> until <see cref="Release"/> or <see cref="Upsert"/>; null when no number is free,
    /// or when the token holds <paramref name="maxHeldByToken"/> numbers already (<paramref name="capped"/>).
    /// </summary>
    public E164Phone? ReserveExclusive(
        IReadOnlyList<E164Phone> pool, DateTimeOffset now, long tokenId, int maxHeldByToken, out bool capped)
    {
        lock (_gate)
        {
            capped = CountIdentifyHeldBy(tokenId, now) >= maxHeldByToken;
            if (capped)
            {
                return null;
            }

            var free = FreeForIdentify(pool, now);
            if (free.Count == 0)
            {
                return null;
            }

            var chosen = free[Random.Shared.Next(free.Count)];
            _reservedExclusive[chosen.Value] = tokenId;
            return chosen;
        }
    }

    /// <summary>
    /// How many numbers of <paramref name="pool"/> an identify request could get now (for metrics and the console).
    /// </summary>
    public int CountFreeForIdentify(IReadOnlyList<E164Phone> pool, DateTimeOffset now)
    {
        lock (_gate)
        {
            return FreeForIdentify(pool, now).Count;
        }
    }

    /// <summary>Identify authorizations pending at <paramref name="now"/>: each holds a whole number.</summary>
    public int CountLiveIdentify(DateTimeOffset now)
    {
        lock (_gate)
        {
            var n = 0;
            foreach (var number in _identifyOn.Keys)
            {
                n += IsHeldForIdentify(number, now) ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>Gives back what <see cref="Reserve(IReadOnlyList{E164Phone}, E164Phone, DateTimeOffset)"/> or
    /// <see cref="ReserveExclusive"/> (<paramref name="userPhone"/> null) reserved and was not written.</summary>
    public void Release(E164Phone number, E164Phone? userPhone)
    {
        lock (_gate)
        {
            if (userPhone is { } phone)
            {
                _reserved.Remove((number.Value, phone.Value));
            }
            else
            {
                _reservedExclusive.Remove(number.Value);
            }
        }
    }

    /// <summary>
    /// The authorizations of this user phone pending at <paramref name="now"/> on the numbers of
    /// <paramref name="pool"/>, of every token.
    /// </summary>
    /// <remarks>
    /// Found through the (number, phone) pairs, as <see cref="Reserve(IReadOnlyList{E164Phone}, E164Phone,
    /// DateTimeOffset)"/> finds the busy ones, instead of a per-phone map that cost every live authorization 70
    /// bytes. A phone has at most one live authorization per number, and the pair points at the newest. One on a
    /// number taken out of the pool since is not found: it ends at its own expiry instead of being superseded.
    /// </remarks>
    public IReadOnlyList<Authorization> PendingOf(
        E164Phone userPhone, IReadOnlyList<E164Phone> pool, DateTimeOffset now)
    {
        lock (_gate)
        {
            List<Authorization>? pending = null;
            foreach (var number in pool)
            {
                if (_byPair.TryGetValue((number.Value, userPhone.Value), out var id)
                    && _byId.TryGetValue(id, out var a)
                    && a.IsLiveAt(now))
                {
                    (pending ??= []).Add(a);
                }
            }

            return pending ?? [];
        }
    }

    /// <summary>
    /// Whether every authorization pending on the number at <paramref name="now"/> belongs to one token.
    /// </summary>
    public bool HasOneTokenPendingOn(E164Phone called, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_pendingByCalled.TryGetValue(called.Value, out var pending))
            {
                return false;
            }

            // One token holds every pending one: true as soon as one of them is still live. Several tokens:
            // only the live ones count (one whose lifetime ran out before the sweep is not waiting any more).
            long? token = null;
            for (var i = 0; i < pending.Count; i++)
            {
                var a = _byId[pending.Newest(i)];
                if (!a.IsLiveAt(now))
                {
                    continue;
                }

                if (pending.TokenCount == 1)
                {
                    return true;
                }

                if (token is not null && token != a.TokenId)
                {
                    return false;
                }

                token = a.TokenId;
            }

            return token is not null;
        }
    }

    /// <summary>Pending authorizations whose lifetime has run out at <paramref name="now"/>, oldest first.</summary>
    public IReadOnlyList<Authorization> Overdue(DateTimeOffset now)
    {
        lock (_gate)
        {
            var overdue = new List<Authorization>();
            var seen = new HashSet<long>();
            while (_expiring.TryPeek(out var id, out var at) && at <= now.UtcTicks)
            {
                _expiring.Dequeue();
                if (_byId.TryGetValue(id, out var a)
                    && a.Status == AuthorizationStatus.Pending
                    && a.ExpiresAt.UtcTicks == at
                    && seen.Add(id))
                {
                    overdue.Add(a);
                }
            }

            // They stay queued until their expiry is written (the entry is stale then): a sweep whose write
            // failed finds them again.
            foreach (var a in overdue)
            {
                _expiring.Enqueue(a.Id, a.ExpiresAt.UtcTicks);
            }

            overdue.Sort((x, y) => x.Id.CompareTo(y.Id));
            return overdue;
        }
    }

    /// <summary>When the earliest live authorization of this phone ends (for Retry-After), or null.</summary>
    public DateTimeOffset? EarliestExpiryFor(E164Phone userPhone, IReadOnlyList<E164Phone> pool, DateTimeOffset now)
    {
        var pending = PendingOf(userPhone, pool, now);
        return pending.Count == 0 ? null : pending.Min(a => a.ExpiresAt);
    }

    /// <summary>
    /// When the first number of <paramref name="pool"/> that something waits on is free for identify mode, or null.
    /// </summary>
    public DateTimeOffset? EarliestFreeForIdentify(IReadOnlyList<E164Phone> pool, DateTimeOffset now)
    {
        lock (_gate)
        {
            DateTimeOffset? earliest = null;
            foreach (var number in pool)
            {
                DateTimeOffset? last = null;
                if (_pendingByCalled.TryGetValue(number.Value, out var pending))
                {
                    for (var i = 0; i < pending.Count; i++)
                    {
                        var a = _byId[pending.Newest(i)];
                        if (a.IsLiveAt(now) && (last is null || a.ExpiresAt > last))
                        {
                            last = a.ExpiresAt;
                        }
                    }
                }

                if (last is not null && (earliest is null || last < earliest))
                {
                    earliest = last;
                }
            }

            return earliest;
        }
    }

    /// <summary>Adds or replaces an authorization (after it was written to the database).</summary>
    public void Upsert(Authorization authorization)
    {
        lock (_gate)
        {
            _byId.TryGetValue(authorization.Id, out var previous);
            _byId[authorization.Id] = authorization;
            if (authorization.Status == AuthorizationStatus.Pending
                && (previous is not { Status: AuthorizationStatus.Pending }
                    || previous.ExpiresAt != authorization.ExpiresAt))
            {
                _expiring.Enqueue(authorization.Id, authorization.ExpiresAt.UtcTicks);
            }

            if (authorization.Status != AuthorizationStatus.Pending
                && (previous is null
                    || previous.Status == AuthorizationStatus.Pending
                    || previous.FinishedAt != authorization.FinishedAt))
            {
                _finishing.Enqueue(authorization.Id, authorization.FinishedAt.UtcTicks);
            }

            var number = authorization.AuthNumber.Value;
            if (authorization.UserPhone is { } phone)
            {
                var pair = (number, phone.Value);
                _reserved.Remove(pair);

                // The pair points at the newest authorization: a live one always wins over a finished one.
                if (!_byPair.TryGetValue(pair, out var current) || current <= authorization.Id)
                {
                    _byPair[pair] = authorization.Id;
                }
            }
            else
            {
                _reservedExclusive.Remove(number);
                if (!_identifyOn.TryGetValue(number, out var current) || current <= authorization.Id)
                {
                    _identifyOn[number] = authorization.Id;
                }
            }

            if (authorization.Status == AuthorizationStatus.Pending)
            {
                AddPendingOn(authorization);
            }
            else
            {
                RemovePending(authorization);
            }
        }
    }

    /// <summary>
    /// Leaves the masked number of a stranger's call on an authorization that is still live at
    /// <paramref name="now"/>; false when it is not (gone, finished, or run out meanwhile).
    /// </summary>
    /// <remarks>
    /// Read and replaced under one lock: a copy taken before a confirmation and written back after it would undo
    /// the confirmation in memory. Only the record changes, so neither the pair's map nor the number's list is
    /// touched: a stranger's call hints up to eight authorizations, and each hint through <see cref="Upsert"/> cost
    /// five look-ups, two of them hashing a pair of strings.
    /// </remarks>
    public bool TryLeaveOtherCaller(long id, string maskedCaller, DateTimeOffset now)
    {
        lock (_gate)
        {
            ref var slot = ref _byId.GetValueRefOrNullRef(id);
            if (Unsafe.IsNullRef(ref slot) || !slot.IsLiveAt(now))
            {
                return false;
            }

            slot = slot with { OtherCaller = maskedCaller };
            return true;
        }
    }

    /// <summary>Drops what finished before <paramref name="finishedBefore"/>; returns how many were dropped.</summary>
    public int Evict(DateTimeOffset now, DateTimeOffset finishedBefore)
    {
        lock (_gate)
        {
            var gone = 0;
            var live = new List<Authorization>();
            while (_finishing.TryPeek(out var id, out var at) && at < finishedBefore.UtcTicks)
            {
                _finishing.Dequeue();
                if (!_byId.TryGetValue(id, out var a) || a.FinishedAt.UtcTicks != at)
                {
                    continue;
                }

                if (a.IsLiveAt(now))
                {
                    live.Add(a);
                    continue;
                }

                Forget(a);
                gone++;
            }

            foreach (var a in live)
            {
                _finishing.Enqueue(a.Id, a.FinishedAt.UtcTicks);
            }

            return gone;
        }
    }

    private void Forget(Authorization a)
    {
        _byId.Remove(a.Id);

        if (a.UserPhone is { } user)
        {
            var pair = (a.AuthNumber.Value, user.Value);
            if (_byPair.TryGetValue(pair, out var id) && id == a.Id)
            {
                _byPair.Remove(pair);
            }
        }
        else if (_identifyOn.TryGetValue(a.AuthNumber.Value, out var newest) && newest == a.Id)
        {
            _identifyOn.Remove(a.AuthNumber.Value);
        }

        RemovePending(a);
    }

    /// <summary>Every authorization pending at <paramref name="now"/> (for the console and metrics).</summary>
    public int CountLive(DateTimeOffset now)
    {
        lock (_gate)
        {
            var n = 0;
            foreach (var a in _byId.Values)
            {
                if (a.IsLiveAt(now))
                {
                    n++;
                }
            }

            return n;
        }
    }

    private int CountReserved(long tokenId, E164Phone userPhone)
    {
        var n = 0;
        foreach (var ((_, caller), token) in _reserved)
        {
            if (token == tokenId && caller == userPhone.Value)
            {
                n++;
            }
        }

        return n;
    }

    private void RemovePending(Authorization authorization)
    {
        if (_pendingByCalled.TryGetValue(authorization.AuthNumber.Value, out var pending)
            && pending.Remove(authorization))
        {
            _pendingByCalled.Remove(authorization.AuthNumber.Value);
        }
    }

    /// <summary>
    /// Whether an identify authorization holds the number: being allocated, or live at <paramref name="now"/>.
    /// </summary>
    /// <summary>Numbers held whole for <paramref name="tokenId"/>: being allocated, or live in identify mode.</summary>
    private int CountIdentifyHeldBy(long tokenId, DateTimeOffset now)
    {
        var n = 0;
        foreach (var (number, holder) in _reservedExclusive)
        {
            n += holder == tokenId ? 1 : 0;
        }

        foreach (var (number, id) in _identifyOn)
        {
            var held = !_reservedExclusive.ContainsKey(number)
                && _byId.TryGetValue(id, out var a) && a.TokenId == tokenId && a.IsLiveAt(now);
            n += held ? 1 : 0;
        }

        return n;
    }

    private bool IsHeldForIdentify(string number, DateTimeOffset now) =>
        _reservedExclusive.ContainsKey(number)
        || (_identifyOn.TryGetValue(number, out var id) && _byId.TryGetValue(id, out var a) && a.IsLiveAt(now));

    /// <summary>The numbers nothing waits on: no live authorization of any phone, none being allocated.</summary>
    private List<E164Phone> FreeForIdentify(IReadOnlyList<E164Phone> pool, DateTimeOffset now)
    {
        var busy = new HashSet<string>(_reservedExclusive.Keys, StringComparer.Ordinal);
        foreach (var (called, _) in _reserved.Keys)
        {
            busy.Add(called);
        }

        var free = new List<E164Phone>();
        foreach (var number in pool)
        {
            if (!busy.Contains(number.Value) && !HasLiveOn(number.Value, now))
            {
                free.Add(number);
            }
        }

        return free;
    }

    private bool HasLiveOn(string number, DateTimeOffset now)
    {
        if (!_pendingByCalled.TryGetValue(number, out var pending))
        {
            return false;
        }

        for (var i = 0; i < pending.Count; i++)
        {
            if (_byId[pending.Newest(i)].IsLiveAt(now))
            {
                return true;
            }
        }

        return false;
    }

    private void AddPendingOn(Authorization authorization)
    {
        if (!_pendingByCalled.TryGetValue(authorization.AuthNumber.Value, out var pending))
        {
            _pendingByCalled[authorization.AuthNumber.Value] = pending = new PendingOnNumber();
        }

        pending.Add(authorization);
    }
}
