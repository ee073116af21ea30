using Backcall.Server.Admin;
using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;

namespace Backcall.Server.Web.Operator;

/// <summary><c>/admin/login</c> and <c>/admin/logout</c>.</summary>
internal static class LoginEndpoints
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet(
            "/login",
            (HttpContext context, HtmlSecurityHeaders pages) => LoginPage(context, pages, wrongKey: false));
        console.MapPost(
            "/login",
            // A factory, not ILogger<LoginPage>: the request delegate generator cannot see types the Razor
            // generator makes, so a page type may not appear in a handler's parameters.
            async (HttpContext context, AdminKeys keys, HtmlSecurityHeaders pages, ILoggerFactory loggers) =>
            {
                var logger = loggers.CreateLogger<LoginPage>();
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                if (!keys.IsAdmin(form["key"].ToString().Trim()))
                {
                    WebLog.SignInRefused(logger, context.Connection.RemoteIpAddress?.ToString());
                    return LoginPage(context, pages, wrongKey: true);
                }

                await OperatorAuth.SignInAsync(context, keys);
                WebLog.SignedIn(logger, context.Connection.RemoteIpAddress?.ToString());
                return Results.Redirect(SafeReturnUrl(form["returnUrl"].ToString()));
            });
        console.MapPost("/logout", async (HttpContext context) =>
        {
            await OperatorAuth.SignOutAsync(context);
            return Results.Redirect("/admin/login");
        });
    }

    /// <summary>Only a path inside the console: a sign-in must not become a redirect to another site.</summary>
    private static string SafeReturnUrl(string value) =>
        value.StartsWith("/admin", StringComparison.Ordinal)
        && !value.StartsWith("/admin/login", StringComparison.Ordinal)
        && !value.Contains("//", StringComparison.Ordinal)
        && !value.Contains('\\')
            ? value
            : "/admin";

    private static IResult LoginPage(HttpContext context, HtmlSecurityHeaders pages, bool wrongKey)
    {
        var returnUrl = context.Request.HasFormContentType
            ? context.Request.Form["returnUrl"].ToString()
            : context.Request.Query["ReturnUrl"].ToString();
        return pages.Component<LoginPage>(
            context,
            new { WrongKey = wrongKey, ReturnUrl = returnUrl },
            wrongKey ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }
}
