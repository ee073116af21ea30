namespace Backcall.Server.Web.Operator;

/// <summary>The operator console under <c>/admin</c>: signed in by cookie, every form checked against forgery.</summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/admin").ExcludeFromDescription().AddEndpointFilter<CsrfFilter>();
        LoginEndpoints.Map(console);

        var signedIn = console.MapGroup("").RequireAuthorization(OperatorAuth.Policy).AddEndpointFilter(ShowArgumentErrors);
        DashboardPages.Map(signedIn);
        TokenPages.Map(signedIn);
        NumberPages.Map(signedIn);
        ActivityPages.Map(signedIn);
        WebhookPages.Map(signedIn);
        return app;
    }

    /// <summary>The services' argument errors (a bad number, a bad amount) as a page that says what to fix.</summary>
    private static async ValueTask<object?> ShowArgumentErrors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ArgumentException ex)
        {
            var http = context.HttpContext;
            var section = http.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "";
            var back = section.Length > 0 ? "/admin/" + section : "/admin";
            return OperatorPage.For(http).Render(
                "Not done",
                section,
                $"<p class=\"error\" role=\"alert\" id=\"action-error\">{Html.E(ex.Message)}</p><p>{Html.Link(back, "Back")}</p>",
                StatusCodes.Status400BadRequest);
        }
    }
}
