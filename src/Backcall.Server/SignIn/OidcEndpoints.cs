using Backcall.Core.Authorizations;
using Backcall.Core.Catalog;
using Backcall.Core.SignIn;
using Backcall.Core.Storage;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Backcall.Server.SignIn;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to us once it has validated the request: authorize
/// (the sign-in page, and the code once the call came), token (the code redeemed once) and userinfo.
/// </summary>
internal static class OidcEndpoints
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapOidcEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(
                SignInServiceCollectionExtensions.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync)
            .ExcludeFromDescription();
        app.MapPost(SignInServiceCollectionExtensions.TokenPath, TokenAsync).ExcludeFromDescription();
        app.MapMethods(
                SignInServiceCollectionExtensions.UserInfoPath,
                [HttpMethods.Get, HttpMethods.Post],
                (Delegate)UserInfoAsync)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// With a confirmed attempt of this browser for this very request: the code goes to the client. Otherwise the
    /// sign-in page. The attempt is finished once only, even if its cookie is replayed.
    /// </summary>
    private static async Task<IResult> AuthorizeAsync(
        HttpContext context,
        ISignInStore store,
        SignInTickets tickets,
        SignInKeyRing keys,
        AuthorizationService authorizations,
        CatalogCache catalog,
        SignInPage page,
        IOptions<SignInOptions> options,
        TimeProvider time,
        ILogger<SignInPage> logger)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("not an OpenID Connect request");
        var client = await store.GetClientAsync(request.ClientId!, context.RequestAborted);
        if (client is null)
        {
            return Results.Forbid(Error(Errors.InvalidClient, "the client is gone"), [Scheme]);
        }

        var hash = SignInTickets.RequestHash(request);
        var now = time.GetUtcNow();
        var used = false;
        if (tickets.ReadAttempt(context) is { } attempt
            && attempt.ClientId == client.ClientId
            && attempt.RequestHash == hash
            && catalog.FindToken(client.TokenId) is { } token
            && await authorizations.FindAsync(token, attempt.AuthorizationId, context.RequestAborted) is { } a
            && a.StatusAt(now) == AuthorizationStatus.Ok)
        {
            SignInTickets.ClearAttempt(context);
            if (await store.TryRedeemAsync("signin:" + a.Id, now + options.Value.PageLifetime, context.RequestAborted))
            {
                SignInLog.Completed(logger, a.Id, client.ClientId);
                return Results.SignIn(SignInPrincipal.Create(client, a, request, keys.Current.Secret), null, Scheme);
            }

            used = true;
        }

        var ticket = tickets.Issue(new SignInTickets.Page(client.ClientId, hash, now + options.Value.PageLifetime));
        return page.Render(context, client, ticket, used, request.RedirectUri);
    }

    /// <summary>
    /// The code for tokens; OpenIddict has checked the client, PKCE and redirect URI. A code is redeemed once.
    /// </summary>
    private static async Task<IResult> TokenAsync(
        HttpContext context, ISignInStore store, IOptions<SignInOptions> options, TimeProvider time)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("not an OpenID Connect request");
        if (!request.IsAuthorizationCodeGrantType())
        {
            return Results.Forbid(
                Error(Errors.UnsupportedGrantType, "only the authorization code grant is supported"), [Scheme]);
        }

        var result = await context.AuthenticateAsync(Scheme);
        var grant = result.Principal?.GetClaim(SignInPrincipal.GrantClaim);
        var keepUntil = time.GetUtcNow() + options.Value.CodeLifetime + TimeSpan.FromMinutes(5);
        if (result.Principal is null
            || grant is null
            || !await store.TryRedeemAsync("code:" + grant, keepUntil, context.RequestAborted))
        {
            return Results.Forbid(
                Error(Errors.InvalidGrant, "the authorization code is invalid or was already used"), [Scheme]);
        }

        return Results.SignIn(result.Principal, null, Scheme);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (result.Principal is not { } principal)
        {
            return Results.Challenge(Error(Errors.InvalidToken, "the access token is invalid"), [Scheme]);
        }

        var claims = new Dictionary<string, object> { [Claims.Subject] = principal.GetClaim(Claims.Subject)! };
        if (principal.HasScope(Scopes.Phone) && principal.GetClaim(Claims.PhoneNumber) is { } phone)
        {
            claims[Claims.PhoneNumber] = phone;
            claims[Claims.PhoneNumberVerified] = true;
        }

        return Results.Json(claims);
    }

    private static AuthenticationProperties Error(string error, string description) =>
        new(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        });
}
