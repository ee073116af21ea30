using Backcall.Server.Hosting;
using Backcall.Sip;
using OpenTelemetry.Metrics;

namespace Backcall.Server.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>The .NET runtime's built-in meter: GC, memory, CPU time, thread pool.</summary>
    private const string RuntimeMeter = "System.Runtime";

    private const int MaxSeriesPerInstrument = 256;

    /// <summary>
    /// The <c>Backcall</c> meter's instruments, and the exporter of <c>/metrics</c>: every instrument of the
    /// <c>Backcall</c>, <c>Backcall.Sip</c> and runtime meters, under standard Prometheus names (docs/metrics.md).
    /// </summary>
    public static IServiceCollection AddBackcallMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<MetricsOptions, MetricsOptionsValidator>(configuration, MetricsOptions.Section);
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<WebhookMetrics>();
        services.AddHostedService<BackcallMetrics>();

        // Our own meters only: listening to ASP.NET Core's per-request instruments would cost throughput.
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(BackcallMetrics.MeterName, SipServer.MeterName, RuntimeMeter)

            // Every stream preallocates its limit of points (2,000 by default, 6 MB for our 42 streams). Our tags
            // are fixed words and status codes, and provider accounts by name for registrations: 256 is room for
            // all of them; beyond it OpenTelemetry counts into one overflow series rather than dropping.
            .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MaxSeriesPerInstrument })
            .AddPrometheusExporter(o =>
            {
                // Each scrape sees the counts of that moment; names and types say enough without the
                // OpenTelemetry scope labels and target_info series.
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                o.ScopeInfoEnabled = false;
                o.TargetInfoEnabled = false;
            }));
        return services;
    }
}
