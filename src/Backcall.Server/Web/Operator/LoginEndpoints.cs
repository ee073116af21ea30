using Backcall.Server.Admin;
using Backcall.Server.Web.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace Backcall.Server.Web.Operator;

/// <summary><c>/admin/login</c> and <c>/admin/logout</c>.</summary>
internal static class LoginEndpoints
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, HtmlSecurityHeaders pages) => LoginPage(context, antiforgery, pages, null, StatusCodes.Status200OK));
        console.MapPost("/login", async (HttpContext context, AdminKeys keys, IAntiforgery antiforgery, HtmlSecurityHeaders pages, ILogger<OperatorPage> logger) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!keys.IsAdmin(form["key"].ToString().Trim()))
            {
                WebLog.SignInRefused(logger, context.Connection.RemoteIpAddress?.ToString());
                return LoginPage(context, antiforgery, pages, "Wrong admin key. It is in admin.key in the data directory, or shown once when the server first started.", StatusCodes.Status401Unauthorized);
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
        value.StartsWith("/admin", StringComparison.Ordinal) && !value.StartsWith("/admin/login", StringComparison.Ordinal) && !value.Contains("//", StringComparison.Ordinal) && !value.Contains('\\')
            ? value
            : "/admin";

    private static IResult LoginPage(HttpContext context, IAntiforgery antiforgery, HtmlSecurityHeaders pages, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var returnUrl = context.Request.Query["ReturnUrl"].ToString();
        if (context.Request.HasFormContentType)
        {
            returnUrl = context.Request.Form["returnUrl"].ToString();
        }

        var html = $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · Backcall console</title><link rel="stylesheet" href="/static/css/site.css"><link rel="icon" href="/static/favicon.svg"></head>
            <body class="console login"><main class="card narrow">
            <h1>Backcall console</h1>
            <p class="muted">Sign in with the admin key.</p>
            {{(error is null ? "" : $"<p class=\"error\" role=\"alert\" id=\"login-error\">{Html.E(error)}</p>")}}
            <form method="post" action="/admin/login" id="login-form">
            <input type="hidden" name="{{Html.E(tokens.FormFieldName)}}" value="{{Html.E(tokens.RequestToken)}}">
            <input type="hidden" name="returnUrl" value="{{Html.E(returnUrl)}}">
            <label for="key">Admin key</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
            <button type="submit" class="btn btn-primary" id="sign-in">Sign in</button>
            </form></main></body></html>
            """;
        return pages.Page(context, html, status);
    }
}
