using Backcall.Sip;
using Prometheus;

namespace Backcall.Server.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>The <c>Backcall</c> meter's counters, and which meters <c>/metrics</c> exports.</summary>
    public static IServiceCollection AddBackcallMetrics(this IServiceCollection services)
    {
        services.AddHostedService<BackcallMetrics>();

        // Export our own meters only: bridging ASP.NET Core's per-request instruments cost about a
        // quarter of the check endpoint's throughput (BENCHMARKS.md).
        Prometheus.Metrics.ConfigureMeterAdapter(o =>
            o.InstrumentFilterPredicate = i => i.Meter.Name is BackcallMetrics.MeterName or SipServer.MeterName);
        return services;
    }
}
