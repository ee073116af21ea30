using System.Diagnostics.Metrics;
using Backcall.Core.Webhooks;

namespace Backcall.Server.Metrics;

/// <summary>Webhook delivery: every attempt with its latency, and each delivery's final result.</summary>
public sealed class WebhookMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _latency;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BackcallMetrics.MeterName);
        _attempts = meter.CreateCounter<long>(
            "backcall.webhooks.attempts",
            "{attempt}",
            "Webhook attempts, by result: delivered, retry (will be tried again), failed");
        _deliveries = meter.CreateCounter<long>(
            "backcall.webhooks.deliveries",
            "{delivery}",
            "Webhook deliveries finished, by result: delivered or failed");
        _latency = meter.CreateHistogram<double>(
            "backcall.webhooks.attempt.duration",
            "s",
            "Time of one webhook attempt, from connect to the receiver's answer");
    }

    /// <summary>One attempt, whose outcome moved the delivery to <paramref name="status"/>.</summary>
    public void Attempted(WebhookDeliveryStatus status, TimeSpan latency)
    {
        var result = status switch
        {
            WebhookDeliveryStatus.Delivered => "delivered",
            WebhookDeliveryStatus.Failed => "failed",
            _ => "retry",
        };
        var tag = new KeyValuePair<string, object?>("result", result);
        _attempts.Add(1, tag);
        if (latency > TimeSpan.Zero)
        {
            _latency.Record(latency.TotalSeconds);
        }

        if (status is WebhookDeliveryStatus.Delivered or WebhookDeliveryStatus.Failed)
        {
            _deliveries.Add(1, tag);
        }
    }
}
