using Microsoft.AspNetCore.Antiforgery;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// Checks the anti-forgery token of every console form before the handler runs. Explicit rather than left to
/// the antiforgery middleware, which only marks a request invalid and stops it only where a form is bound.
/// </summary>
internal sealed class CsrfFilter(IAntiforgery antiforgery, ILogger<CsrfFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                WebLog.CsrfRefused(logger, http.Request.Path);
                return Results.Content(
                    "<!doctype html><title>Form expired</title><p>This form has expired or did not come from this console. <a href=\"/admin\">Reload the console</a> and try again.</p>",
                    "text/html; charset=utf-8",
                    statusCode: StatusCodes.Status400BadRequest);
            }
        }

        return await next(context);
    }
}
