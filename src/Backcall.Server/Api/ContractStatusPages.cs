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

        // Not for the contract's own actions, which answer every outcome with its envelope: the middleware
        // writes into HttpContext.Items on every request it sees, which makes a dictionary per status check
        // (with the other writers to Items, a quarter of its garbage, BENCHMARKS.md). Routing's 404 and 405
        // carry no endpoint of theirs, so they still pass.
        return app.UseWhen(
            context => context.GetEndpoint()?.Metadata.GetMetadata<AnswersEveryOutcome>() is null,
            branch => branch.UseStatusCodePages(
                new StatusCodePagesOptions
                {
                    HandleAsync = context =>
                        context.HttpContext.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase)
                            ? WriteAsync(context.HttpContext)
                            : framework(context),
                }));
    }

    /// <summary>Endpoint metadata: the endpoint writes a body for every status it answers.</summary>
    public sealed class AnswersEveryOutcome
    {
        public static readonly AnswersEveryOutcome Instance = new();

        private AnswersEveryOutcome()
        {
        }
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
