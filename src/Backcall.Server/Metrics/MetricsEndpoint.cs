using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Metrics;

/// <summary>
/// <c>/metrics</c> in the Prometheus text format, by OpenTelemetry's Prometheus exporter: every instrument
/// of the <c>Backcall</c> and <c>Backcall.Sip</c> meters (and the runtime's own) under its standard name
/// (counters end in <c>_total</c>, units become suffixes such as <c>_seconds</c>). Why this exporter and how
/// to add a metric: docs/metrics.md.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The listen URL <c>/metrics</c> needs besides the main ones, if any.</summary>
    public static string? ExtraListenUrl(IConfiguration configuration) =>
        configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.Url is { Length: > 0 } url ? url : null;

    public static WebApplication MapBackcallMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (options.Port is { } port)
        {
            // The metrics port serves /metrics only, and /metrics is served on that port only.
            app.Use(
                (context, next) =>
                    (context.Connection.LocalPort == port)
                    == context.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase)
                        ? next(context)
                        : NotFound(context));
        }

        var expected = string.IsNullOrWhiteSpace(options.Key)
            ? null
            : SHA256.HashData(Encoding.UTF8.GetBytes(options.Key.Trim()));
        app.MapPrometheusScrapingEndpoint(
                Path,
                meterProvider: null,
                configureBranchedPipeline: branch =>
                {
                    if (expected is not null)
                    {
                        branch.Use(
                            (context, next) => HasKey(context, expected) ? next(context) : Unauthorized(context));
                    }
                },
                optionsName: null)
            .ExcludeFromDescription();
        return app;
    }

    private static bool HasKey(HttpContext context, byte[] expected) =>
        Admin.AdminKeys.FromRequest(context.Request) is { } presented
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static Task Unauthorized(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
        return context.Response.WriteAsync("metrics need Authorization: Bearer <Metrics:Key>\n");
    }
}
