using System.Diagnostics.Metrics;
using Backcall.Core.Authorizations;
using Backcall.Core.Calls;

namespace Backcall.Server.Metrics;

/// <summary>
/// The core's events as counters of the <c>Backcall</c> meter (exported at <c>/metrics</c> with the SIP
/// layer's <c>Backcall.Sip</c> meter): what an operator graphs and alerts on.
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

    public BackcallMetrics(IMeterFactory meters, AuthorizationService authorizations, CallService calls, ExpiryService expiry, AuthorizationIndex index, TimeProvider time)
    {
        _authorizations = authorizations;
        _calls = calls;
        _expiry = expiry;
        var meter = meters.Create(MeterName);
        _created = meter.CreateCounter<long>("authorizations.created", description: "Authorizations created");
        _confirmed = meter.CreateCounter<long>("authorizations.confirmed", description: "Authorizations confirmed by a call");
        _expired = meter.CreateCounter<long>("authorizations.expired", description: "Authorizations that expired unconfirmed");
        _callsByOutcome = meter.CreateCounter<long>("calls", description: "Calls received, by outcome");
        _timeToCall = meter.CreateHistogram<double>("time_to_call", unit: "s", description: "From creation to the confirming call");
        meter.CreateObservableGauge("authorizations.live", () => index.CountLive(time.GetUtcNow()), description: "Authorizations waiting for a call");
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
