using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// Checks the anti-forgery token of every console form before the handler runs. Explicit rather than left to
/// the antiforgery middleware, which only marks a request invalid and stops it only where a form is bound.
/// </summary>
internal sealed class CsrfFilter(IAntiforgery antiforgery, HtmlSecurityHeaders pages, ILogger<CsrfFilter> logger)
    : IEndpointFilter
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
                return pages.Component<FormExpiredPage>(http, new { }, StatusCodes.Status400BadRequest);
            }
        }

        return await next(context);
    }
}
