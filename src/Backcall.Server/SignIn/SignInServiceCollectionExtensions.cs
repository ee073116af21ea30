using Backcall.Server.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Backcall.Server.SignIn;

/// <summary>
/// Sign in with a phone call: an OpenID Connect provider on OpenIddict in degraded mode, whose clients, keys and
/// redeemed grants live in our own store (docs/architecture.md, docs/sign-in.md).
/// </summary>
public static class SignInServiceCollectionExtensions
{
    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string UserInfoPath = "/connect/userinfo";
    public const string JwksPath = "/.well-known/jwks";

    /// <summary>What the CLI needs too: the keys' administration (rotation) without the web host.</summary>
    public static IServiceCollection AddBackcallSignInKeys(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SignInOptions, SignInOptionsValidator>(configuration, SignInOptions.Section);
        services.TryAddSingleton<SignInKeyProtector>();
        services.TryAddSingleton<SignInKeyAdmin>();
        return services;
    }

    public static IServiceCollection AddBackcallSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<SignInKeyRing>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(
            sp => sp.GetRequiredService<SignInKeyRing>());
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ConfigureProvider>();
        services.TryAddSingleton<SignInTickets>();
        services.TryAddSingleton<SignInPage>();
        services.AddHostedService<SignInKeyRefresher>();
        services.AddTransient<IStartupFilter, UnavailableWithoutKeys>();
        services.AddRateLimiter(o => o.AddPolicy<string, SignInRateLimitPolicy>(SignInRateLimitPolicy.Name));

        var allowHttp = configuration.GetSection(SignInOptions.Section).GetValue<bool>(nameof(SignInOptions.AllowHttp));
        services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris(AuthorizePath[1..])
                .SetTokenEndpointUris(TokenPath[1..])
                .SetUserInfoEndpointUris(UserInfoPath[1..])
                .SetJsonWebKeySetEndpointUris(JwksPath[1..]);
            o.AllowAuthorizationCodeFlow();
            o.EnableDegradedMode();
            o.RegisterScopes(Scopes.OpenId, Scopes.Phone);
            o.RegisterClaims(
                Claims.Subject,
                Claims.PhoneNumber,
                Claims.PhoneNumberVerified,
                Claims.AuthenticationMethodReference,
                Claims.AuthenticationTime);
            o.AddEventHandler<ValidateAuthorizationRequestContext>(
                b => b.UseScopedHandler<ValidateAuthorizationRequest>());
            o.AddEventHandler<ValidateTokenRequestContext>(b => b.UseScopedHandler<ValidateTokenRequest>());
            o.AddEventHandler<HandleJsonWebKeySetRequestContext>(b => b.UseSingletonHandler<PublishUpcomingKeys>());
            var aspnet = o.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableUserInfoEndpointPassthrough();
            if (allowHttp)
            {
                aspnet.DisableTransportSecurityRequirement();
            }
        });
        return services;
    }

    /// <summary>
    /// Whether the provider is on (<c>SignIn:Enabled</c>, default true): read before the host is built.
    /// </summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetSection(SignInOptions.Section).GetValue(nameof(SignInOptions.Enabled), defaultValue: true);

    public static IEndpointRouteBuilder MapBackcallSignIn(this IEndpointRouteBuilder app)
    {
        app.MapOidcEndpoints();
        app.MapSignInPageApi();
        return app;
    }

    /// <summary>
    /// First in the pipeline (before OpenIddict's handler reads its options): while this node has no usable keys,
    /// the provider's paths answer 503 in OAuth's words instead of failing inside OpenIddict.
    /// </summary>
    private sealed class UnavailableWithoutKeys(SignInKeyRing ring) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                var path = context.Request.Path;
                if (!ring.IsLoaded && (path.StartsWithSegments("/connect") || path.StartsWithSegments("/.well-known")
                    || path.StartsWithSegments("/signin")))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "60";
                    await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
                    {
                        ["error"] = "temporarily_unavailable",
                        ["error_description"] =
                            "sign-in is unavailable on this node; the operator finds why in its log",
                    });
                    return;
                }

                await following(context);
            });
            next(app);
        };
    }

    /// <summary>The parts of OpenIddict's options that come from our data: keys, issuer, lifetimes.</summary>
    private sealed class ConfigureProvider(
        SignInKeyRing ring, IOptions<SignInOptions> options, IOptions<ServerOptions> server)
        : IConfigureOptions<OpenIddictServerOptions>
    {
        public void Configure(OpenIddictServerOptions o)
        {
            if (!ring.IsLoaded)
            {
                // OpenIddict's handler reads these options on every request; without usable keys this node answers
                // 503 on the provider's paths (UnavailableWithoutKeys), so throw-away keys only keep the rest running.
                o.SigningCredentials.Add(new SigningCredentials(
                    new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)), SecurityAlgorithms.RsaSha256));
                o.EncryptionCredentials.Add(new EncryptingCredentials(
                    new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                    SecurityAlgorithms.Aes256KW,
                    SecurityAlgorithms.Aes256CbcHmacSha512));
            }
            else
            {
                foreach (var key in ring.Current.Signing)
                {
                    o.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
                }

                foreach (var key in ring.Current.Encryption)
                {
                    o.EncryptionCredentials.Add(new EncryptingCredentials(
                        key, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
                }
            }

            var s = options.Value;
            o.AuthorizationCodeLifetime = s.CodeLifetime;
            o.AccessTokenLifetime = s.AccessTokenLifetime;
            o.IdentityTokenLifetime = s.IdentityTokenLifetime;
            o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);

            // What discovery announces is what we do: pairwise subjects, secrets (no client key pairs), no fragment.
            o.SubjectTypes.Clear();
            o.SubjectTypes.Add(SubjectTypes.Pairwise);
            o.ClientAuthenticationMethods.Remove(ClientAuthenticationMethods.PrivateKeyJwt);
            o.ResponseModes.Remove(ResponseModes.Fragment);
            if (Uri.TryCreate(server.Value.PublicBaseUrl, UriKind.Absolute, out var issuer))
            {
                o.Issuer = issuer;
            }
        }
    }
}
