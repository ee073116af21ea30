using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// The demo endpoints' limit: <see cref="DemoOptions.RequestsPerMinute"/> per client address (the proxy's client
/// when <c>Server:TrustedProxies</c> is set), so one visitor cannot drain the pool or flood the SIP listener with
/// simulated calls. Answered like the other demo errors, with Retry-After.
/// </summary>
internal sealed class DemoRateLimitPolicy(IOptions<DemoOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "demo";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } =
        async (context, _) =>
        {
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var error = WebJson.Error(
                StatusCodes.Status429TooManyRequests,
                "rate_limited",
                "too many demo requests from this address; try again later");
            await error.ExecuteAsync(context.HttpContext);
        };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(
            httpContext.Connection.RemoteIpAddress?.ToString() ?? "",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.Value.RequestsPerMinute,
                Window = Window,
                QueueLimit = 0,
            });
}
