using System.Diagnostics.Metrics;
using Backcall.Sip;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// SIP messages the listener refused to act on (sources outside every trunk, over the per-source rate
/// limit), per minute over the last day, read from the SIP layer's own counters as they are added. In
/// memory only: the chart starts empty after a restart, like the listener's counters.
/// </summary>
public sealed class SipDeniedCounter : IHostedService, IDisposable
{
    private const int Minutes = 24 * 60;
    private static readonly HashSet<string> Denials = ["backcall.sip.untrusted", "backcall.sip.rate_limited"];
    private readonly long[] _counts = new long[Minutes];
    private readonly long[] _minuteOf = new long[Minutes];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();

    public SipDeniedCounter(TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SipServer.MeterName && Denials.Contains(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Add(value));
    }

    /// <summary>
    /// Denied messages in each bucket from <paramref name="since"/> on (minutes older than a day count as 0).
    /// </summary>
    public long[] Series(DateTimeOffset since, TimeSpan bucket, int count)
    {
        var result = new long[count];
        var first = since.ToUnixTimeSeconds() / 60;
        var perBucket = Math.Max(1, (long)bucket.TotalMinutes);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                for (var m = first + (i * perBucket); m < first + ((i + 1) * perBucket); m++)
                {
                    var slot = (int)(m % Minutes);
                    if (_minuteOf[slot] == m)
                    {
                        result[i] += _counts[slot];
                    }
                }
            }
        }

        return result;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private void Add(long value)
    {
        var minute = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var slot = (int)(minute % Minutes);
        lock (_gate)
        {
            if (_minuteOf[slot] != minute)
            {
                _minuteOf[slot] = minute;
                _counts[slot] = 0;
            }

            _counts[slot] += value;
        }
    }
}
