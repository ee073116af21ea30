using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Backcall.Web.Tests.Infrastructure;

/// <summary>
/// A relying party as an app developer writes one: ASP.NET Core's own OpenID Connect handler (code flow, PKCE,
/// userinfo) pointed at a real backcall process, on a loopback port of its own. <c>/</c> needs a signed-in user
/// and answers with the user's claims and the id token. Every code the handler receives is kept (with its PKCE
/// verifier) so that tests can try to redeem it again.
/// </summary>
public sealed class OidcClientApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly Registration _registration;

    private OidcClientApp(
        WebApplication app, Uri baseUrl, Registration registration, ConcurrentQueue<(string, string)> codes)
    {
        _app = app;
        _registration = registration;
        Codes = codes;
        BaseUrl = baseUrl;
        ClientId = registration.ClientId;
        ClientSecret = registration.Secret;
    }

    public Uri BaseUrl { get; }

    public string ClientId { get; }

    public string? ClientSecret { get; }

    public Uri RedirectUri => new(BaseUrl, "/signin-oidc");

    /// <summary>What the handler reported as a failed sign-in (for assertion messages).</summary>
    public IReadOnlyCollection<string> Failures => _registration.Failures;

    /// <summary>Runs with each code and verifier before the handler redeems them (to try them first).</summary>
    public Func<string, string, Task>? BeforeRedeem
    {
        get => _registration.BeforeRedeem;
        set => _registration.BeforeRedeem = value;
    }

    /// <summary>
    /// The client's registration, read by the handler's options at its first use (after registering).
    /// </summary>
    private sealed class Registration
    {
        public string ClientId { get; set; } = "";

        public string? Secret { get; set; }

        public Func<string, string, Task>? BeforeRedeem { get; set; }

        public ConcurrentQueue<string> Failures { get; } = new();
    }

    /// <summary>Codes the handler received, with the verifier it sent, in order.</summary>
    public ConcurrentQueue<(string Code, string Verifier)> Codes { get; }

    /// <summary>
    /// Starts the app, then registers it with backcall as a confidential client (a public one if asked).
    /// </summary>
    /// <param name="justCall">Whether the client is registered with "just call" offered.</param>
    /// <param name="postRequest">Send the authorization request by POST (an auto-submitted form), not GET.</param>
    /// <param name="responseMode">How the code comes back: form_post (the handler's default) or query.</param>
    public static async Task<OidcClientApp> StartAsync(
        BackcallProcess backcall,
        bool isPublic = false,
        bool justCall = true,
        bool postRequest = false,
        string responseMode = "form_post")
    {
        var registration = new Registration();
        var codes = new ConcurrentQueue<(string, string)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = backcall.BaseUrl.ToString();
                o.RequireHttpsMetadata = false; // loopback only
                o.ResponseType = "code";
                o.ResponseMode = responseMode;
                o.AuthenticationMethod = postRequest
                    ? OpenIdConnectRedirectBehavior.FormPost
                    : OpenIdConnectRedirectBehavior.RedirectGet;
                o.UsePkce = true;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("phone");
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.SaveTokens = true;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

                // Plain HTTP on loopback: a SameSite=None cookie must be Secure, so these are Lax (the app and
                // backcall are one site, 127.0.0.1, on two ports).
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.Events.OnRemoteFailure = context =>
                {
                    registration.Failures.Enqueue(context.Failure?.ToString() ?? "remote failure");
                    return Task.CompletedTask;
                };
                o.Events.OnAuthorizationCodeReceived = async context =>
                {
                    var code = (
                        context.ProtocolMessage.Code, context.TokenEndpointRequest!.Parameters["code_verifier"]);
                    codes.Enqueue(code);
                    if (registration.BeforeRedeem is { } before)
                    {
                        await before(code.Item1, code.Item2);
                    }
                };
            });
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme).Configure(o =>
        {
            o.ClientId = registration.ClientId;
            o.ClientSecret = registration.Secret;
        });

        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/", async (HttpContext context) =>
        {
            if (context.User.Identity?.IsAuthenticated != true)
            {
                return Results.Challenge();
            }

            var claims = new JsonObject();
            foreach (var group in context.User.Claims.GroupBy(c => c.Type))
            {
                claims[group.Key] = group.Count() == 1
                    ? group.First().Value
                    : new JsonArray([.. group.Select(c => (JsonNode)c.Value)]);
            }

            claims["id_token"] = await context.GetTokenAsync("id_token");
            return Results.Json(claims);
        });
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        var address = new Uri(addresses.Addresses.First());

        using var admin = backcall.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("api/admin/clients", new
        {
            name = "Test shop",
            redirect_uris = new[] { new Uri(address, "/signin-oidc").ToString() },
            @public = isPublic,
            just_call = justCall,
        });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        registration.ClientId = json["details"]!["client_id"]!.GetValue<string>();
        registration.Secret = json["client_secret"]?.GetValue<string>();
        return new OidcClientApp(app, address, registration, codes);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
