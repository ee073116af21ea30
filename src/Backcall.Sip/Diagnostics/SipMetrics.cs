using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Backcall.Sip.Diagnostics;

/// <summary>
/// Counters of one server, both as plain numbers (<see cref="SipServerCounters"/>) and as instruments of
/// the <c>Backcall.Sip</c> Meter, so the host can export them without polling.
/// </summary>
internal sealed class SipMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _retransmissions;
    private readonly Counter<long> _untrusted;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _trunkLimited;
    private readonly Counter<long> _parseErrors;
    private readonly ConcurrentDictionary<int, StrongBox> _rejectedByCode = new();
    private long _receivedCount;
    private long _retransmissionCount;
    private long _untrustedCount;
    private long _rateLimitedCount;
    private long _trunkLimitedCount;
    private long _parseErrorCount;
    private long _handlerCalls;

    public SipMetrics(IMeterFactory? meterFactory, Func<int> activeTransactions)
    {
        _meter = meterFactory?.Create(SipServer.MeterName) ?? new Meter(SipServer.MeterName);
        _received = _meter.CreateCounter<long>(
            "backcall.sip.messages.received",
            "{message}",
            "SIP messages received (before any filtering)");
        _rejected = _meter.CreateCounter<long>(
            "backcall.sip.invites.rejected",
            "{invite}",
            "INVITEs rejected, tagged by status code");
        _retransmissions = _meter.CreateCounter<long>(
            "backcall.sip.retransmissions",
            "{message}",
            "Responses retransmitted (Timer G or a retransmitted request)");
        _untrusted = _meter.CreateCounter<long>(
            "backcall.sip.untrusted",
            "{message}",
            "Requests from sources outside every trunk");
        _rateLimited = _meter.CreateCounter<long>(
            "backcall.sip.rate_limited",
            "{message}",
            "Messages from untrusted sources dropped by the per-source rate limit");
        _trunkLimited = _meter.CreateCounter<long>(
            "backcall.sip.trunk_limited",
            "{request}",
            "Requests from a trunk over its own limit, answered 503");
        _parseErrors = _meter.CreateCounter<long>("backcall.sip.parse_errors", "{message}", "Malformed messages");
        _meter.CreateObservableUpDownCounter(
            "backcall.sip.transactions.active",
            activeTransactions,
            "{transaction}",
            "Live server transactions");
    }

    public Meter Meter => _meter;

    /// <summary>
    /// Gauges per registration (tagged <c>registration</c>): 1 while registered, and the seconds until the
    /// binding runs out; plus failed attempts since the last success.
    /// </summary>
    public void ObserveRegistrations(Func<IReadOnlyList<RegistrationStatus>> statuses)
    {
        _meter.CreateObservableGauge(
            "backcall.sip.registrations.up",
            () => statuses().Select(s => new Measurement<int>(s.State == RegistrationState.Registered ? 1 : 0, Tag(s))),
            "{registration}",
            "1 while the registration is in force, else 0");
        _meter.CreateObservableGauge(
            "backcall.sip.registrations.failures",
            () => statuses().Select(s => new Measurement<int>(s.ConsecutiveFailures, Tag(s))),
            "{attempt}",
            "Failed REGISTER attempts since the last success");
    }

    private static KeyValuePair<string, object?> Tag(RegistrationStatus status) => new("registration", status.Name);

    public SipServerCounters Snapshot() => new()
    {
        Received = Interlocked.Read(ref _receivedCount),
        RejectedByCode = _rejectedByCode.ToDictionary(kv => kv.Key, kv => Interlocked.Read(ref kv.Value.Value)),
        Retransmissions = Interlocked.Read(ref _retransmissionCount),
        UntrustedDropped = Interlocked.Read(ref _untrustedCount),
        RateLimited = Interlocked.Read(ref _rateLimitedCount),
        TrunkLimited = Interlocked.Read(ref _trunkLimitedCount),
        ParseErrors = Interlocked.Read(ref _parseErrorCount),
        HandlerCalls = Interlocked.Read(ref _handlerCalls),
    };

    public void Received(SipTransport transport)
    {
        Interlocked.Increment(ref _receivedCount);
        _received.Add(1, new KeyValuePair<string, object?>("transport", SipEndpoint.NameOf(transport)));
    }

    public void Rejected(int statusCode)
    {
        Interlocked.Increment(ref _rejectedByCode.GetOrAdd(statusCode, _ => new StrongBox()).Value);
        _rejected.Add(1, new KeyValuePair<string, object?>("status_code", statusCode));
    }

    public void Retransmitted()
    {
        Interlocked.Increment(ref _retransmissionCount);
        _retransmissions.Add(1);
    }

    public void Untrusted()
    {
        Interlocked.Increment(ref _untrustedCount);
        _untrusted.Add(1);
    }

    public void RateLimited()
    {
        Interlocked.Increment(ref _rateLimitedCount);
        _rateLimited.Add(1);
    }

    public void TrunkLimited()
    {
        Interlocked.Increment(ref _trunkLimitedCount);
        _trunkLimited.Add(1);
    }

    public void ParseError()
    {
        Interlocked.Increment(ref _parseErrorCount);
        _parseErrors.Add(1);
    }

    public void HandlerCalled() => Interlocked.Increment(ref _handlerCalls);

    public void Dispose() => _meter.Dispose();

    private sealed class StrongBox
    {
        public long Value;
    }
}
