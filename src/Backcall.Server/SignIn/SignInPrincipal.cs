using System.Security.Claims;
using System.Text.Json;
using Backcall.Core.Authorizations;
using Backcall.Core.SignIn;
using Backcall.Core.Tokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Backcall.Server.SignIn;

/// <summary>Who a confirmed call signs in, as the client sees it (docs/sign-in.md, "Claims").</summary>
internal static class SignInPrincipal
{
    /// <summary>
    /// A private claim of the code only (no destination): its id, redeemed once at the token endpoint.
    /// </summary>
    public const string GrantClaim = "bc_grant";

    /// <summary>RFC 8176: "tel", confirmation using a telephone call.</summary>
    private static readonly string[] Methods = ["tel"];

    public static ClaimsPrincipal Create(SignInClient client, Authorization a, OpenIddictRequest request, byte[] secret)
    {
        // The phone that called: in both modes the one the call confirmed (identify mode has no other).
        var phone = a.ConfirmedPhone ?? throw new InvalidOperationException($"authorization {a.Id} is not confirmed");
        var scopes = request.GetScopes().Intersect([Scopes.OpenId, Scopes.Phone], StringComparer.Ordinal).ToList();
        var withPhone = scopes.Contains(Scopes.Phone);
        var identity = new ClaimsIdentity(
            TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, PairwiseSubject.Of(secret, client.ClientId, phone));
        identity.SetClaim(Claims.PhoneNumber, phone.Value);
        identity.SetClaim(Claims.PhoneNumberVerified, true);
        identity.SetClaims(Claims.AuthenticationMethodReference, JsonSerializer.SerializeToElement(Methods));
        identity.SetClaim(Claims.AuthenticationTime, (a.ConfirmedAt ?? a.CreatedAt).ToUnixTimeSeconds());
        identity.SetClaim(GrantClaim, TokenSecrets.NewKey(16));
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Subject => [Destinations.IdentityToken, Destinations.AccessToken],
            Claims.PhoneNumber or Claims.PhoneNumberVerified when withPhone =>
                [Destinations.IdentityToken, Destinations.AccessToken],
            Claims.AuthenticationMethodReference or Claims.AuthenticationTime => [Destinations.IdentityToken],
            _ => [],
        });
        return new ClaimsPrincipal(identity);
    }
}
