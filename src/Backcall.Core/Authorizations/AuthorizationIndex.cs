using Backcall.Core.Phones;

namespace Backcall.Core.Authorizations;

/// <summary>
/// The in-memory working set: every pending authorization and the recently finished ones, indexed by id,
/// QR key, (called number, caller) pair and called number. Checks and matching read only this; the
/// database is written through and read only for what has left the working set.
/// </summary>
/// <remarks>
/// One lock guards all maps: each operation is a few dictionary look-ups, far cheaper than the database
/// write that follows it, so a finer scheme would buy nothing measurable.
/// </remarks>
public sealed class AuthorizationIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Authorization> _byId = [];
    private readonly Dictionary<string, long> _byQrKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Called, string Caller), long> _byPair = [];
    private readonly Dictionary<string, HashSet<long>> _pendingByCalled = new(StringComparer.Ordinal);
    private readonly HashSet<(string Called, string Caller)> _reserved = [];

    public bool TryGet(long id, out Authorization authorization)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out authorization!);
        }
    }

    public bool TryGetByQrKey(string key, out Authorization authorization)
    {
        lock (_gate)
        {
            if (_byQrKey.TryGetValue(key, out var id) && _byId.TryGetValue(id, out authorization!))
            {
                return true;
            }

            authorization = null!;
            return false;
        }
    }

    /// <summary>The latest authorization for this (called, caller) pair, live or recently finished.</summary>
    public Authorization? FindByPair(E164Phone called, E164Phone caller)
    {
        lock (_gate)
        {
            return _byPair.TryGetValue((called.Value, caller.Value), out var id) && _byId.TryGetValue(id, out var a) ? a : null;
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
            if (!_pendingByCalled.TryGetValue(called.Value, out var ids))
            {
                return [];
            }

            var newest = new List<Authorization>(Math.Min(ids.Count, Math.Min(max, 64)));
            foreach (var id in ids)
            {
                if (!_byId.TryGetValue(id, out var a) || !a.IsLiveAt(now))
                {
                    continue;
                }

                if (newest.Count < max)
                {
                    newest.Add(a);
                    continue;
                }

                // Keep the newest: replace the oldest kept when this one is newer (max is small).
                var oldest = 0;
                for (var i = 1; i < newest.Count; i++)
                {
                    if (newest[i].Id < newest[oldest].Id)
                    {
                        oldest = i;
                    }
                }

                if (a.Id > newest[oldest].Id)
                {
                    newest[oldest] = a;
                }
            }

            return newest;
        }
    }

    /// <summary>
    /// Picks uniformly at random a number from <paramref name="pool"/> that holds no live authorization
    /// for <paramref name="userPhone"/> and reserves the pair until <see cref="Release"/> or
    /// <see cref="Upsert"/>; null when every number is busy for this phone.
    /// </summary>
    public E164Phone? Reserve(IReadOnlyList<E164Phone> pool, E164Phone userPhone, DateTimeOffset now)
    {
        lock (_gate)
        {
            Span<int> free = pool.Count <= 1024 ? stackalloc int[pool.Count] : new int[pool.Count];
            var count = 0;
            for (var i = 0; i < pool.Count; i++)
            {
                var pair = (pool[i].Value, userPhone.Value);
                if (_reserved.Contains(pair))
                {
                    continue;
                }

                if (_byPair.TryGetValue(pair, out var id) && _byId.TryGetValue(id, out var a) && a.IsLiveAt(now))
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
            _reserved.Add((chosen.Value, userPhone.Value));
            return chosen;
        }
    }

    public void Release(E164Phone number, E164Phone userPhone)
    {
        lock (_gate)
        {
            _reserved.Remove((number.Value, userPhone.Value));
        }
    }

    /// <summary>When the earliest live authorization of this phone ends (for Retry-After), or null.</summary>
    public DateTimeOffset? EarliestExpiryFor(E164Phone userPhone, IReadOnlyList<E164Phone> pool, DateTimeOffset now)
    {
        lock (_gate)
        {
            DateTimeOffset? earliest = null;
            foreach (var number in pool)
            {
                if (_byPair.TryGetValue((number.Value, userPhone.Value), out var id) && _byId.TryGetValue(id, out var a) && a.IsLiveAt(now))
                {
                    earliest = earliest is null || a.ExpiresAt < earliest ? a.ExpiresAt : earliest;
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
            var pair = (authorization.AuthNumber.Value, authorization.UserPhone.Value);
            _reserved.Remove(pair);
            _byId[authorization.Id] = authorization;
            _byQrKey[authorization.QrKey] = authorization.Id;

            // The pair points at the newest authorization: a live one always wins over a finished one.
            if (!_byPair.TryGetValue(pair, out var current) || current <= authorization.Id)
            {
                _byPair[pair] = authorization.Id;
            }

            if (authorization.Status == AuthorizationStatus.Pending)
            {
                if (!_pendingByCalled.TryGetValue(authorization.AuthNumber.Value, out var set))
                {
                    _pendingByCalled[authorization.AuthNumber.Value] = set = [];
                }

                set.Add(authorization.Id);
            }
            else
            {
                RemovePending(authorization);
            }
        }
    }

    /// <summary>Drops what finished before <paramref name="finishedBefore"/>; returns how many were dropped.</summary>
    public int Evict(DateTimeOffset now, DateTimeOffset finishedBefore)
    {
        lock (_gate)
        {
            List<Authorization>? gone = null;
            foreach (var a in _byId.Values)
            {
                if (!a.IsLiveAt(now) && a.FinishedAt < finishedBefore)
                {
                    (gone ??= []).Add(a);
                }
            }

            if (gone is null)
            {
                return 0;
            }

            foreach (var a in gone)
            {
                _byId.Remove(a.Id);
                _byQrKey.Remove(a.QrKey);
                var pair = (a.AuthNumber.Value, a.UserPhone.Value);
                if (_byPair.TryGetValue(pair, out var id) && id == a.Id)
                {
                    _byPair.Remove(pair);
                }

                RemovePending(a);
            }

            return gone.Count;
        }
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

    private void RemovePending(Authorization authorization)
    {
        if (_pendingByCalled.TryGetValue(authorization.AuthNumber.Value, out var set))
        {
            set.Remove(authorization.Id);
            if (set.Count == 0)
            {
                _pendingByCalled.Remove(authorization.AuthNumber.Value);
            }
        }
    }
}
