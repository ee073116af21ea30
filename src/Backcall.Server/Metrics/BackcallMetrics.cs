using System.Diagnostics.Metrics;
using Backcall.Core.Authorizations;
using Backcall.Core.Calls;

namespace Backcall.Server.Metrics;

/// <summary>
/// The core's events as instruments of the <c>Backcall</c> meter (exported at <c>/metrics</c> with the SIP
/// layer's <c>Backcall.Sip</c> meter): what an operator graphs and alerts on. To add a metric, see
/// docs/metrics.md: an instrument on this meter, named <c>backcall.area.thing</c>, appears by itself.
/// </summary>
public sealed class BackcallMetrics : IHostedService
{
    public const string MeterName = "Backcall";

    private readonly AuthorizationService _authorizations;
    private readonly CallService _calls;
    private readonly ExpiryService _expiry;
    private readonly Counter<long> _created;
    private readonly Counter<long> _confirmed;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _callsByOutcome;
    private readonly Histogram<double> _timeToCall;

    public BackcallMetrics(
        IMeterFactory meters,
        AuthorizationService authorizations,
        CallService calls,
        ExpiryService expiry,
        AuthorizationIndex index,
        TimeProvider time)
    {
        _authorizations = authorizations;
        _calls = calls;
        _expiry = expiry;
        var meter = meters.Create(MeterName);

        // Names as OpenTelemetry writes them (dots, unit apart); the Prometheus exporter turns
        // backcall.authorizations.created into backcall_authorizations_created_total (docs/metrics.md).
        _created = meter.CreateCounter<long>(
            "backcall.authorizations.created",
            "{authorization}",
            "Authorizations created");
        _confirmed = meter.CreateCounter<long>(
            "backcall.authorizations.confirmed",
            "{authorization}",
            "Authorizations confirmed by a call");
        _expired = meter.CreateCounter<long>(
            "backcall.authorizations.expired",
            "{authorization}",
            "Authorizations that expired unconfirmed");
        _callsByOutcome = meter.CreateCounter<long>("backcall.calls", "{call}", "Calls received, by outcome");
        _timeToCall = meter.CreateHistogram<double>(
            "backcall.authorizations.time_to_call", "s", "From the authorization's creation to the confirming call");
        meter.CreateObservableGauge(
            "backcall.authorizations.live",
            () => index.CountLive(time.GetUtcNow()),
            "{authorization}",
            "Authorizations waiting for a call");
        meter.CreateObservableGauge(
            "backcall.identify.held",
            () => authorizations.GetIdentifyCapacity().Held,
            "{number}",
            "Numbers held by an identify authorization now");
        meter.CreateObservableGauge(
            "backcall.identify.free",
            () => authorizations.GetIdentifyCapacity().Free,
            "{number}",
            "Numbers an identify request could get now");
        meter.CreateObservableGauge(
            "backcall.identify.capacity",
            () => authorizations.GetIdentifyCapacity().PerLifetime,
            "{authorization}",
            "Identify authorizations the pool can start per authorization lifetime");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _authorizations.Created += OnCreated;
        _calls.Confirmed += OnConfirmed;
        _calls.Received += OnReceived;
        _expiry.Expired += OnExpired;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _authorizations.Created -= OnCreated;
        _calls.Confirmed -= OnConfirmed;
        _calls.Received -= OnReceived;
        _expiry.Expired -= OnExpired;
        return Task.CompletedTask;
    }

    private void OnCreated(Authorization a) => _created.Add(1);

    private void OnExpired(Authorization a) => _expired.Add(1);

    private void OnConfirmed(Authorization a)
    {
        _confirmed.Add(1);
        if (a.ConfirmedAt is { } at)
        {
            _timeToCall.Record((at - a.CreatedAt).TotalSeconds);
        }
    }

    private void OnReceived(IncomingCall call, CallResult result)
    {
        if (!result.Repeated)
        {
            _callsByOutcome.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToWire()));
        }
    }
}
