using Backcall.Core.Tokens;
using Microsoft.AspNetCore.Http.Features;

namespace Backcall.Server.Api;

/// <summary>
/// Resolves the <c>{token}</c> route value to a token and applies its rate limit, before any handler of the
/// contract API runs.
/// </summary>
internal sealed class TokenAuthenticationFilter(
    Core.Catalog.CatalogCache catalog, TokenRateLimiter limiter, Metrics.ApiMetrics metrics, RefusalCounter refusals)
    : IEndpointFilter
{
    /// <summary>The token this request was authenticated with.</summary>
    /// <remarks>
    /// Carried as a request feature keyed by its type, not in <see cref="HttpContext.Items"/>: the server reuses a
    /// connection's feature slots from request to request, while the first write to Items makes a dictionary for
    /// the request (a quarter of a status check's garbage, with the marks of two middlewares, BENCHMARKS.md).
    /// </remarks>
    public static Token Current(HttpContext context) => context.Features.GetRequiredFeature<Token>();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var raw = http.GetRouteValue("token") as string ?? "";
        if (!catalog.TryAuthenticate(raw, out var token))
        {
            return ContractResults.Error(StatusCodes.Status401Unauthorized, ContractMessages.BadToken);
        }

        if (token.Disabled)
        {
            return ContractResults.Error(StatusCodes.Status401Unauthorized, ContractMessages.DisabledToken);
        }

        if (!limiter.TryAcquire(token.Id, out var retryAfter))
        {
            metrics.Refused(StatusCodes.Status429TooManyRequests, "token_rate_limited");
            refusals.Record(token.Id, Refusal.RateLimited);
            return ContractResults.Error(
                StatusCodes.Status429TooManyRequests,
                ContractMessages.RateLimited,
                retryAfter);
        }

        http.Features.Set(token);
        return await next(context).ConfigureAwait(false);
    }
}
