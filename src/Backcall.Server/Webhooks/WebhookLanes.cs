using Backcall.Core.Webhooks;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Claimed deliveries waiting for a slot, one lane per destination host. A delivery starts only when both
/// a global slot and a slot of its host are free, so one slow or dead receiver holds at most its own
/// host's slots and never delays deliveries to other hosts. Thread-safe.
/// </summary>
internal sealed class WebhookLanes(int maxInFlight, int maxPerHost)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _waiting;

    /// <summary>Deliveries a lane may hold waiting: more are left to their claim lease (they come back when it ends).</summary>
    public int MaxWaitingPerHost { get; } = maxPerHost * 4;

    /// <summary>How many more deliveries may be claimed now.</summary>
    public int Room
    {
        get
        {
            lock (_gate)
            {
                return (maxInFlight * 4) - _inFlight - _waiting;
            }
        }
    }

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

    /// <summary>Queues a claimed delivery on its host's lane; false when that lane is full (the delivery is skipped).</summary>
    public bool Offer(WebhookDelivery delivery, DateTimeOffset leaseUntil)
    {
        var host = HostOf(delivery.Url);
        lock (_gate)
        {
            if (!_lanes.TryGetValue(host, out var lane))
            {
                _lanes[host] = lane = new Lane();
            }

            if (lane.Waiting.Count >= MaxWaitingPerHost)
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
    /// before an attempt could finish (<paramref name="minLeaseLeft"/>) are dropped: another claim takes them.
    /// </summary>
    public List<(string Host, WebhookDelivery Delivery)> TakeStartable(DateTimeOffset now, TimeSpan minLeaseLeft)
    {
        var start = new List<(string, WebhookDelivery)>();
        lock (_gate)
        {
            foreach (var (host, lane) in _lanes)
            {
                while (_inFlight < maxInFlight && lane.InFlight < maxPerHost && lane.Waiting.TryDequeue(out var next))
                {
                    _waiting--;
                    if (next.LeaseUntil - now < minLeaseLeft)
                    {
                        continue;
                    }

                    lane.InFlight++;
                    _inFlight++;
                    start.Add((host, next.Delivery));
                }
            }

            RemoveIdleLanes();
        }

        return start;
    }

    public void Complete(string host)
    {
        lock (_gate)
        {
            _inFlight--;
            if (_lanes.TryGetValue(host, out var lane))
            {
                lane.InFlight--;
            }

            RemoveIdleLanes();
        }
    }

    /// <summary>The lane key: the host name in lowercase (ports of one host share its limit).</summary>
    public static string HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IdnHost.ToLowerInvariant() : "";

    private void RemoveIdleLanes()
    {
        List<string>? idle = null;
        foreach (var (host, lane) in _lanes)
        {
            if (lane.InFlight == 0 && lane.Waiting.Count == 0)
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
    }
}
