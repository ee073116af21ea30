using System.Diagnostics.Metrics;

namespace Backcall.Server.Metrics;

/// <summary>
/// Answers of the contract API that refuse work: 402 (quota or balance), 429 (token or phone rate limit),
/// 503 (pool saturated: no free number for this phone). An operator alerts on the last one.
/// </summary>
public sealed class ApiMetrics
{
    private readonly Counter<long> _refused;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BackcallMetrics.MeterName);
        _refused = meter.CreateCounter<long>(
            "backcall.api.refusals",
            "{answer}",
            "Contract API answers refusing work, by HTTP status and reason (503 no_free_number: pool saturated)");
    }

    /// <param name="reason">A fixed snake_case word (quota_exhausted, token_rate_limited, ...), never user
    /// input.</param>
    public void Refused(int status, string reason) =>
        _refused.Add(
            1,
            new KeyValuePair<string, object?>("status", status),
            new KeyValuePair<string, object?>("reason", reason));
}
