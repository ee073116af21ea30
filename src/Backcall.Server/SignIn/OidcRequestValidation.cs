using Backcall.Core.SignIn;
using Backcall.Core.Storage;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Backcall.Server.SignIn;

/// <summary>
/// OpenIddict runs in degraded mode (no entity store of its own): these handlers check authorization requests
/// against our clients table. The client must exist and be enabled, the redirect URI must be one it registered,
/// character for character, a public client must use PKCE, PKCE must be S256, and <c>state</c> is required.
/// A rejected request never redirects (OpenIddict only redirects to a URI validated here).
/// </summary>
internal sealed class ValidateAuthorizationRequest(ISignInStore store, ILogger<ValidateAuthorizationRequest> logger)
    : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        var client = context.ClientId is { Length: > 0 and <= 100 } id ? await store.GetClientAsync(id) : null;
        var problem = client switch
        {
            null => (Errors.InvalidClient, "the client_id is not a registered client"),
            { Disabled: true } => (Errors.InvalidClient, "the client is disabled"),
            _ when context.RedirectUri is null
                || !client.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal) =>
                (Errors.InvalidRequest, "the redirect_uri is not one the client registered"),
            _ when client.IsPublic && string.IsNullOrEmpty(context.Request.CodeChallenge) =>
                (Errors.InvalidRequest,
                    "a public client must use PKCE: code_challenge with code_challenge_method=S256"),
            _ when !string.IsNullOrEmpty(context.Request.CodeChallenge)
                && context.Request.CodeChallengeMethod != CodeChallengeMethods.Sha256 =>
                (Errors.InvalidRequest, "code_challenge_method must be S256"),
            _ when string.IsNullOrEmpty(context.Request.State) => (Errors.InvalidRequest, "state is required"),
            _ => default((string, string)?),
        };
        if (problem is var (error, description))
        {
            SignInLog.Refused(logger, context.ClientId, description);
            context.Reject(error, description);
        }
    }
}

/// <summary>
/// Token requests: the client must exist and be enabled; a confidential client must prove its secret
/// (client_secret_basic or client_secret_post), compared with the stored hash in constant time.
/// </summary>
internal sealed class ValidateTokenRequest(ISignInStore store, ILogger<ValidateTokenRequest> logger)
    : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var client = context.ClientId is { Length: > 0 and <= 100 } id ? await store.GetClientAsync(id) : null;
        var problem = client switch
        {
            null or { Disabled: true } => "the client is unknown or disabled",
            { IsPublic: false } when !ClientAdmin.SecretMatches(client, context.ClientSecret) =>
                "the client secret is wrong",
            _ => null,
        };
        if (problem is not null)
        {
            SignInLog.Refused(logger, context.ClientId, problem);
            context.Reject(Errors.InvalidClient, problem);
        }
    }
}

/// <summary>
/// Adds the rotated-in keys to the JWKS before they sign: a client caching the set knows them in time.
/// </summary>
internal sealed class PublishUpcomingKeys(SignInKeyRing ring)
    : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
{
    public ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
    {
        foreach (var key in ring.Current.Upcoming)
        {
            // The public half only: converting the private key object would publish its private parameters.
            var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
            context.Keys.Add(new Microsoft.IdentityModel.Tokens.JsonWebKey
            {
                Kty = "RSA",
                Use = "sig",
                Alg = Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256,
                Kid = key.KeyId,
                E = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(parameters.Exponent),
                N = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(parameters.Modulus),
            });
        }

        return default;
    }
}
