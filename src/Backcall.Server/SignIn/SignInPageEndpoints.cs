using Backcall.Core.Authorizations;
using Backcall.Core.Catalog;
using Backcall.Core.Storage;
using Backcall.Server.Api;
using Backcall.Server.Web;
using Backcall.Server.Web.Demo;
using Microsoft.Extensions.Options;

namespace Backcall.Server.SignIn;

/// <summary>
/// The sign-in page's API under <c>/signin/api</c>. JSON bodies only and same-origin only, so another site can
/// neither start an attempt in a visitor's browser nor read one; an attempt is bound to the browser by its
/// cookie, so its id appears in no URL and nobody else can watch it. Client addresses are rate limited
/// (<see cref="SignInRateLimitPolicy"/>).
/// </summary>
internal static class SignInPageEndpoints
{
    /// <param name="Ticket">The page's ticket (what client, what request).</param>
    /// <param name="Phone">The phone typed; null or absent to "just call" (identify mode).</param>
    public sealed record StartRequest(string? Ticket, string? Phone);

    public static IEndpointRouteBuilder MapSignInPageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/signin/api").ExcludeFromDescription().RequireRateLimiting(SignInRateLimitPolicy.Name);
        api.MapPost("/start", StartAsync);
        api.MapGet("/status", Status);
        api.MapGet("/check", CheckAsync);
        return app;
    }

    private static async Task<IResult> StartAsync(
        StartRequest request,
        HttpContext context,
        SignInTickets tickets,
        ISignInStore store,
        CatalogCache catalog,
        AuthorizationService authorizations,
        PublicUrls urls,
        IOptions<SignInOptions> options,
        TimeProvider time)
    {
        if (!SameOrigin(context.Request))
        {
            return WebJson.Error(StatusCodes.Status403Forbidden, "cross_site", "the sign-in page only answers itself");
        }

        if (tickets.ReadPage(request.Ticket) is not { } page)
        {
            return WebJson.Error(
                StatusCodes.Status400BadRequest,
                "page_expired",
                "this sign-in page has expired; go back to the app and sign in again");
        }

        var client = await store.GetClientAsync(page.ClientId, context.RequestAborted);
        if (client is null || client.Disabled || catalog.FindToken(client.TokenId) is not { } token)
        {
            return WebJson.Error(
                StatusCodes.Status403Forbidden,
                "client_disabled",
                "this app may not sign in with Backcall any more");
        }

        var identify = string.IsNullOrWhiteSpace(request.Phone);
        if (identify && !client.JustCall)
        {
            // The page does not offer it; a browser asking anyway gets no exclusive number.
            return WebJson.Error(
                StatusCodes.Status403Forbidden,
                "just_call_disabled",
                "this app does not offer \"just call\"; enter your phone");
        }

        var outcome = await authorizations.CreateAsync(
            token, identify ? null : request.Phone, null, false, context.RequestAborted);
        if (outcome.Authorization is not { } a)
        {
            return DemoEndpoints.Refused(outcome);
        }

        tickets.SetAttempt(
            context,
            new SignInTickets.Attempt(
                a.Id, client.ClientId, page.RequestHash, time.GetUtcNow() + options.Value.PageLifetime));
        return DemoEndpoints.CallCard(
            a, null, a.UserPhone is { } typed ? PhoneDisplay.Format(typed) : null, context, urls);
    }

    private static IResult Status(
        HttpContext context, SignInTickets tickets, ISignInStore store, CatalogCache catalog,
        AuthorizationService authorizations, AuthorizationPulse pulse, TimeProvider time) =>
        StatusStream.Serve(context, () => FindAsync(context, tickets, store, catalog, authorizations), pulse, time);

    private static async Task<IResult> CheckAsync(
        HttpContext context, SignInTickets tickets, ISignInStore store, CatalogCache catalog,
        AuthorizationService authorizations, TimeProvider time) =>
        await FindAsync(context, tickets, store, catalog, authorizations) is { } a
            ? WebJson.Json(DemoStatus.Of(a, time.GetUtcNow()))
            : WebJson.Error(StatusCodes.Status404NotFound, "not_found", "no sign-in attempt in this browser");

    /// <summary>This browser's attempt, read through its client's token.</summary>
    private static async Task<Authorization?> FindAsync(
        HttpContext context, SignInTickets tickets, ISignInStore store, CatalogCache catalog,
        AuthorizationService authorizations) =>
        tickets.ReadAttempt(context) is { } attempt
        && await store.GetClientAsync(attempt.ClientId, context.RequestAborted) is { Disabled: false } client
        && catalog.FindToken(client.TokenId) is { } token
            ? await authorizations.FindAsync(token, attempt.AuthorizationId, context.RequestAborted)
            : null;

    /// <summary>Browsers say where a request comes from; a request from another site is refused.</summary>
    private static bool SameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site != "same-origin")
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || (Uri.TryCreate(origin, UriKind.Absolute, out var o)
                && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
                && o.Scheme == request.Scheme);
    }
}
