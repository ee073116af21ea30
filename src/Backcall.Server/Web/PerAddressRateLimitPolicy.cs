using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Backcall.Server.Web;

/// <summary>
/// The limit of a public page's API (the demo's, the sign-in page's): a number of requests per minute per client
/// address (the proxy's client when <c>Server:TrustedProxies</c> is set), so one visitor cannot drain the pool.
/// Each page has its own policy, option and counters; over the limit, 429 <c>rate_limited</c> with Retry-After,
/// answered like the page's other errors.
/// </summary>
internal abstract class PerAddressRateLimitPolicy(Func<int> requestsPerMinute, string page) : IRateLimiterPolicy<string>
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, _) =>
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var error = WebJson.Error(
            StatusCodes.Status429TooManyRequests,
            "rate_limited",
            $"too many {page} requests from this address; try again later");
        await error.ExecuteAsync(context.HttpContext);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(
            httpContext.Connection.RemoteIpAddress?.ToString() ?? "",
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = requestsPerMinute(),
                Window = Window,
                QueueLimit = 0,
            });
}
