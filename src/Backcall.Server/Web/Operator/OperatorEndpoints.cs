namespace Backcall.Server.Web.Operator;

/// <summary>
/// The operator console under <c>/admin</c>: signed in by cookie, every form checked against forgery, every page
/// a Razor component rendered on the server (<see cref="Security.HtmlSecurityHeaders.Component{TComponent}"/>).
/// </summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorConsole(this IEndpointRouteBuilder app)
    {
        var console = app.MapGroup("/admin").ExcludeFromDescription().AddEndpointFilter<CsrfFilter>();
        LoginEndpoints.Map(console);

        var signedIn = console.MapGroup("").RequireAuthorization(OperatorAuth.Policy).AddEndpointFilter(RefuseBadInput);
        DashboardPages.Map(signedIn);
        TokenPages.Map(signedIn);
        NumberPages.Map(signedIn);
        ActivityPages.Map(signedIn);
        WebhookPages.Map(signedIn);
        TrunkPages.Map(signedIn);
        ClientPages.Map(signedIn);
        return app;
    }

    /// <summary>
    /// An argument error no form explains (a crafted row action, such as a number that is not one): back to the
    /// section with a notice. The forms catch their own errors and show them beside the form.
    /// </summary>
    private static async ValueTask<object?> RefuseBadInput(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ArgumentException)
        {
            var path = context.HttpContext.Request.Path.Value ?? "";
            var section = path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
            var back = section is { Length: > 0 } ? "/admin/" + Uri.EscapeDataString(section) : "/admin";
            return Results.Redirect(back + "?notice=not-done");
        }
    }
}

/// <summary>The log category of what operators do in the console.</summary>
internal sealed class ConsoleActivity;
