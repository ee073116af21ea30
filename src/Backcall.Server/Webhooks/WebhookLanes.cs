using Backcall.Core.Webhooks;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Claimed deliveries, one lane per destination host. A delivery starts only when both a global slot and a
/// slot of its host are free, so one slow or dead receiver holds at most its own host's slots and never
/// delays deliveries to other hosts. <see cref="PlanClaim"/> says how much to claim and which hosts to
/// leave out, so every claimed delivery fits its lane: none is claimed only to wait out its lease.
/// Thread-safe.
/// </summary>
internal sealed class WebhookLanes(int maxInFlight, int maxPerHost)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _waiting;

    /// <summary>
    /// Deliveries one host may hold claimed (in flight and waiting): its slots plus four rounds of them.
    /// Bounded so that a slow host's claims start before their lease ends and it cannot fill the node's room.
    /// </summary>
    public int MaxHeldPerHost { get; } = maxPerHost * 5;

    /// <summary>Deliveries the node may hold claimed at once.</summary>
    public int MaxHeld { get; } = maxInFlight * 4;

    /// <summary>
    /// A lane is topped up once it holds at most this many: a busy host gets its deliveries in batches,
    /// not one claim per finished attempt, and still has work queued while the next claim runs.
    /// </summary>
    public int RefillAt => MaxHeldPerHost / 2;

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>
    /// How many deliveries to claim now and the hosts to leave out. The limit fits every lane not left out
    /// (and a new host's empty one), so whatever the claim returns is accepted by <see cref="Offer"/>.
    /// </summary>
    public ClaimPlan PlanClaim()
    {
        lock (_gate)
        {
            var limit = Math.Min(MaxHeld - _inFlight - _waiting, MaxHeldPerHost);
            var skip = new List<string>();
            foreach (var (host, lane) in _lanes)
            {
                if (lane.Held > RefillAt)
                {
                    skip.Add(host);
                }
                else
                {
                    limit = Math.Min(limit, MaxHeldPerHost - lane.Held);
                }
            }

            return new ClaimPlan(Math.Max(limit, 0), skip);
        }
    }

    /// <summary>
    /// Whether a delivery to <paramref name="url"/> queued now would fit its lane and the node's room: the test
    /// before a delivery is queued already claimed by this node (<see cref="Core.Webhooks.IDeliveryHandOff"/>).
    /// </summary>
    public bool HasRoomFor(string url)
    {
        var host = HostOf(url);
        lock (_gate)
        {
            return _inFlight + _waiting < MaxHeld
                && (!_lanes.TryGetValue(host, out var lane) || lane.Held < MaxHeldPerHost);
        }
    }

    /// <summary>
    /// Queues a claimed delivery on its host's lane; false when that lane is full: the caller hands the
    /// claim back. Only a delivery whose stored host differs from its URL's (queued before hosts were
    /// stored) can be refused after <see cref="PlanClaim"/>.
    /// </summary>
    public bool Offer(WebhookDelivery delivery, DateTimeOffset leaseUntil)
    {
        var host = HostOf(delivery.Url);
        lock (_gate)
        {
            if (!_lanes.TryGetValue(host, out var lane))
            {
                _lanes[host] = lane = new Lane();
            }

            if (lane.Held >= MaxHeldPerHost)
            {
                return false;
            }

            lane.Waiting.Enqueue((delivery, leaseUntil));
            _waiting++;
            return true;
        }
    }

    /// <summary>
    /// Takes the deliveries that may start now and counts them in flight. Those whose claim would run out
    /// before an attempt could finish (<paramref name="minLeaseLeft"/>) are taken out as
    /// <see cref="Startable.Expiring"/>, for the caller to hand back.
    /// </summary>
    public Startable TakeStartable(DateTimeOffset now, TimeSpan minLeaseLeft)
    {
        var start = new List<(string, WebhookDelivery)>();
        var expiring = new List<string>();
        lock (_gate)
        {
            foreach (var (host, lane) in _lanes)
            {
                while (_inFlight < maxInFlight && lane.InFlight < maxPerHost && lane.Waiting.TryDequeue(out var next))
                {
                    _waiting--;
                    if (next.LeaseUntil - now < minLeaseLeft)
                    {
                        expiring.Add(next.Delivery.Id);
                        continue;
                    }

                    lane.InFlight++;
                    _inFlight++;
                    start.Add((host, next.Delivery));
                }
            }

            RemoveIdleLanes();
        }

        return new Startable(start, expiring);
    }

    /// <summary>Empties every lane's waiting deliveries (when stopping); returns their ids.</summary>
    public IReadOnlyList<string> TakeAllWaiting()
    {
        lock (_gate)
        {
            var ids = _lanes.Values.SelectMany(l => l.Waiting.Select(w => w.Delivery.Id)).ToList();
            foreach (var lane in _lanes.Values)
            {
                lane.Waiting.Clear();
            }

            _waiting = 0;
            RemoveIdleLanes();
            return ids;
        }
    }

    /// <summary>
    /// Frees the slot of a finished attempt. True when that opened room a claim could use and the last
    /// plan had not: the host fell to <see cref="RefillAt"/>, or the node had been full.
    /// </summary>
    public bool Complete(string host)
    {
        lock (_gate)
        {
            var nodeWasFull = _inFlight + _waiting >= MaxHeld;
            _inFlight--;
            var refill = nodeWasFull;
            if (_lanes.TryGetValue(host, out var lane))
            {
                // Left out of claims while above RefillAt: this attempt brings it down to it.
                refill |= lane.Held == RefillAt + 1;
                lane.InFlight--;
                RemoveIfIdle(host, lane);
            }

            return refill;
        }
    }

    /// <summary>The lane key: see <see cref="WebhookHost"/>.</summary>
    public static string HostOf(string url) => WebhookHost.Of(url);

    private void RemoveIfIdle(string host, Lane lane)
    {
        if (lane.Held == 0)
        {
            _lanes.Remove(host);
        }
    }

    private void RemoveIdleLanes()
    {
        List<string>? idle = null;
        foreach (var (host, lane) in _lanes)
        {
            if (lane.Held == 0)
            {
                (idle ??= []).Add(host);
            }
        }

        foreach (var host in idle ?? [])
        {
            _lanes.Remove(host);
        }
    }

    private sealed class Lane
    {
        public Queue<(WebhookDelivery Delivery, DateTimeOffset LeaseUntil)> Waiting { get; } = new();

        public int InFlight { get; set; }

        public int Held => InFlight + Waiting.Count;
    }
}

/// <summary>What to claim: at most <paramref name="Limit"/> deliveries, none to <paramref name="SkipHosts"/>.</summary>
internal sealed record ClaimPlan(int Limit, IReadOnlyCollection<string> SkipHosts);

/// <summary>Deliveries to start now, and the ids of those whose claim is too close to its end to start.</summary>
internal sealed record Startable(
    IReadOnlyList<(string Host, WebhookDelivery Delivery)> Start,
    IReadOnlyList<string> Expiring);
