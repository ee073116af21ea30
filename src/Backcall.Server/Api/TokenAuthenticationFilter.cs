using Backcall.Core.Tokens;

namespace Backcall.Server.Api;

/// <summary>
/// Resolves the <c>{token}</c> route value to a token and applies its rate limit, before any handler of the
/// contract API runs.
/// </summary>
internal sealed class TokenAuthenticationFilter(
    Core.Catalog.CatalogCache catalog, TokenRateLimiter limiter, Metrics.ApiMetrics metrics, RefusalCounter refusals)
    : IEndpointFilter
{
    private const string ItemKey = "backcall.token";

    public static Token Current(HttpContext context) => (Token)context.Items[ItemKey]!;

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

        http.Items[ItemKey] = token;
        return await next(context).ConfigureAwait(false);
    }
}
