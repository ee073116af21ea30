using Microsoft.AspNetCore.Diagnostics;

namespace Backcall.Server.Api;

/// <summary>
/// Bodies for the answers routing gives without one (no such action: 404; a known action with the wrong
/// method: 405 with <c>Allow</c>): under <c>/api/v1/authcalls</c> they are the contract's envelope, which
/// clients parse, never ProblemDetails; elsewhere the framework's ProblemDetails.
/// </summary>
internal static class ContractStatusPages
{
    public const string Prefix = "/api/v1/authcalls";

    public static IApplicationBuilder UseContractStatusPages(this IApplicationBuilder app)
    {
        var framework = new StatusCodePagesOptions().HandleAsync;
        return app.UseStatusCodePages(
            new StatusCodePagesOptions
            {
                HandleAsync = context =>
                    context.HttpContext.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase)
                        ? WriteAsync(context.HttpContext)
                        : framework(context),
            });
    }

    private static Task WriteAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status404NotFound => ContractMessages.UnknownAction,
            StatusCodes.Status405MethodNotAllowed =>
                $"method {context.Request.Method} is not allowed here; use {context.Response.Headers.Allow}",
            _ => ContractMessages.BadRequest,
        };
        return ContractResults.WriteErrorAsync(context, status, message);
    }
}
