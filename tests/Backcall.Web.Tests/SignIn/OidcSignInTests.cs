using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Sip;
using Backcall.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.SignIn;

/// <summary>
/// Sign in with a phone call through the real backcall process, by a real relying party (ASP.NET Core's OpenID
/// Connect handler in <see cref="OidcClientApp"/>), in chromium, confirmed by a real SIP INVITE.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class OidcSignInTests(
    BrowserFixture browser, SignInServerFixture fixture, ITestOutputHelper output) : IClassFixture<SignInServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Fact]
    public async Task A_user_signs_in_to_a_real_client_by_typing_a_phone_and_calling()
    {
        await using var app = await OidcClientApp.StartAsync(Server);
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        var remote = ForeignRequests.Record(page);

        await page.GotoAsync(app.BaseUrl.ToString());
        await Expect(page.Locator("#client-name")).ToHaveTextAsync("Test shop");
        var request = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        var nonce = request["nonce"].ToString();
        Assert.NotEmpty(nonce);
        await page.FillAsync("#phone", "8 900 311-22-01");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        await Expect(page.Locator("#user-phone")).ToHaveTextAsync("+7 900 311-22-01");
        var number = await page.Locator("#call-link").GetAttributeAsync("href");
        Assert.StartsWith("tel:+7964", number, StringComparison.Ordinal);

        var answer = await CallAsync("+79003112201", number!["tel:".Length..]);
        Assert.Equal(486, answer.StatusCode);

        // The page returns to the app on its own; the app shows what it learned.
        await BackInAppAsync(page, app);
        var claims = JsonNode.Parse(await page.Locator("body").InnerTextAsync())!;
        Assert.Equal("+79003112201", claims["phone_number"]!.GetValue<string>());
        Assert.Equal("true", claims["phone_number_verified"]!.GetValue<string>());
        Assert.Equal("tel", claims["amr"]!.GetValue<string>());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", claims["sub"]!.GetValue<string>());
        Assert.True(
            long.Parse(claims["auth_time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            > 1_700_000_000);
        Assert.Empty(remote);

        // The id token names a key the JWKS publishes, carries amr as an array, and no private claim of the code.
        var idToken = claims["id_token"]!.GetValue<string>();
        var header = JwtPart(idToken, 0);
        var payload = JwtPart(idToken, 1);
        Assert.IsType<JsonArray>(payload["amr"]);
        Assert.Equal(nonce, payload["nonce"]!.GetValue<string>());
        Assert.Null(payload["bc_grant"]);
        using var http = Server.CreateClient();
        var jwks = JsonNode.Parse(await http.GetStringAsync(".well-known/jwks"))!;
        Assert.Contains(
            jwks["keys"]!.AsArray(), k => k!["kid"]!.GetValue<string>() == header["kid"]!.GetValue<string>());

        // Neither the code nor a token reaches the server's log.
        var (code, verifier) = Assert.Single(app.Codes);
        Assert.DoesNotContain(
            Server.Output,
            line => line.Contains(code, StringComparison.Ordinal)
                || line.Contains(idToken.Split('.')[2], StringComparison.Ordinal));

        // The code was single use: the same code, verifier and secret again are refused.
        var replay = await RedeemAsync(app, code, verifier, app.ClientSecret);
        Assert.Equal(HttpStatusCode.BadRequest, replay.Status);
        Assert.Equal("invalid_grant", replay.Body["error"]!.GetValue<string>());

        // Signing in again gives the same subject (stable per phone and client).
        await context.ClearCookiesAsync();
        await page.GotoAsync(app.BaseUrl.ToString());
        await page.FillAsync("#phone", "+79003112201");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var again = await page.Locator("#call-link").GetAttributeAsync("href");
        await CallAsync("+79003112201", again!["tel:".Length..]);
        await BackInAppAsync(page, app);
        var second = JsonNode.Parse(await page.Locator("body").InnerTextAsync())!;
        Assert.Equal(claims["sub"]!.GetValue<string>(), second["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_signs_in_by_just_calling_and_is_the_phone_that_called()
    {
        // A server of its own: "just call" holds a number that no other live authorization may share.
        await using var own = new SignInServerFixture();
        await own.InitializeAsync();
        await using var app = await OidcClientApp.StartAsync(own.Server);
        await using var context = await browser.NewContextAsync(app.BaseUrl, new BrowserNewContextOptions
        {
            Locale = "ru-RU",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl.ToString());
        await page.ClickAsync("#just-call");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        await Expect(page.Locator("#any-line")).ToBeVisibleAsync();
        await Expect(page.Locator("#from-line")).ToBeHiddenAsync();
        await page.AssertLaidOutAsync("just call ru 390");
        await page.TakeAsync(output, "signin-4-just-call-ru-390");
        var number = (await page.Locator("#call-link").GetAttributeAsync("href"))!["tel:".Length..];

        var answer = await new SipCallClient()
            .CallAsync(SipEndpoint.Parse("udp:" + own.Server.Announced["sip udp"]), "+79003117001", number)
            .WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(486, answer.StatusCode);
        try
        {
            await page.WaitForURLAsync(app.BaseUrl.ToString(), new PageWaitForURLOptions { Timeout = 60_000 });
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException(
                ex.Message + "\n" + string.Join('\n', app.Failures)
                    + string.Join('\n', own.Server.Output.TakeLast(20)),
                ex);
        }

        var claims = JsonNode.Parse(await page.Locator("body").InnerTextAsync())!;
        Assert.Equal("+79003117001", claims["phone_number"]!.GetValue<string>());
        Assert.Equal("true", claims["phone_number_verified"]!.GetValue<string>());
        Assert.Equal("tel", claims["amr"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("form_post")]
    [InlineData("query")]
    public async Task A_posted_authorization_request_finishes_as_a_get_one_does(string responseMode)
    {
        // The app sends the request as an auto-submitted form (OIDC Core 3.1.2.1: authorize takes POST too).
        await using var app = await OidcClientApp.StartAsync(Server, postRequest: true, responseMode: responseMode);
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        var authorizeRequests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/connect/authorize", StringComparison.Ordinal))
            {
                authorizeRequests.Enqueue(r.Method + " " + r.Url);
            }
        };
        var blocked = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, m) => blocked.Enqueue(m.Text);

        await page.GotoAsync(app.BaseUrl.ToString());
        await Expect(page.Locator("#client-name")).ToHaveTextAsync("Test shop");
        var phone = responseMode == "query" ? "+79003118002" : "+79003118001";
        await page.FillAsync("#phone", phone);
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var number = await page.Locator("#call-link").GetAttributeAsync("href");
        await CallAsync(phone, number!["tel:".Length..]);

        // Back in the app, signed in: the page sent the same request again by POST, with its parameters.
        await BackInAppAsync(page, app, blocked);
        var claims = JsonNode.Parse(await page.Locator("body").InnerTextAsync())!;
        Assert.Equal(phone, claims["phone_number"]!.GetValue<string>());
        Assert.Equal(["POST", "POST"], authorizeRequests.Select(r => r.Split(' ')[0]));
        Assert.All(authorizeRequests, r => Assert.EndsWith("/connect/authorize", r, StringComparison.Ordinal));
        Assert.Single(app.Codes);
    }

    [Fact]
    public async Task Two_clients_get_unrelated_subjects_and_a_rotated_key_is_published_before_it_signs()
    {
        using var admin = Server.CreateAdminClient();
        using var rotate = await admin.PostAsync("api/admin/signin-keys/rotate", null);
        Assert.True(rotate.IsSuccessStatusCode, await rotate.Content.ReadAsStringAsync());
        var fresh = JsonNode.Parse(await rotate.Content.ReadAsStringAsync())!.AsArray()
            .Single(k => k!["use"]!.GetValue<string>() == "signing")!["key_id"]!.GetValue<string>();
        using var http = Server.CreateClient();
        var published = JsonNode.Parse(await http.GetStringAsync(".well-known/jwks"))!["keys"]!.AsArray()
            .Select(k => k!["kid"]!.GetValue<string>())
            .ToList();
        Assert.Contains(fresh, published);
        Assert.True(published.Count >= 2, string.Join(", ", published));

        await using var shop = await OidcClientApp.StartAsync(Server);
        await using var forum = await OidcClientApp.StartAsync(Server);
        var atShop = await SignInAsync(shop, "+79003116001");
        var atForum = await SignInAsync(forum, "+79003116001");
        Assert.Equal(atShop["phone_number"]!.GetValue<string>(), atForum["phone_number"]!.GetValue<string>());
        Assert.NotEqual(atShop["sub"]!.GetValue<string>(), atForum["sub"]!.GetValue<string>());

        // The new key is known to clients, but the current one still signs until the lead time has passed.
        var kid = JwtPart(atShop["id_token"]!.GetValue<string>(), 0)["kid"]!.GetValue<string>();
        Assert.NotEqual(fresh, kid);
        Assert.Contains(kid, published);
    }

    [Fact]
    public async Task Discovery_and_jwks_say_what_the_provider_does_and_publish_no_private_key()
    {
        using var http = Server.CreateClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync(".well-known/openid-configuration"))!;
        var issuer = Server.BaseUrl.ToString();
        Assert.Equal(issuer, discovery["issuer"]!.GetValue<string>());
        Assert.Equal(issuer + "connect/authorize", discovery["authorization_endpoint"]!.GetValue<string>());
        Assert.Equal(issuer + "connect/token", discovery["token_endpoint"]!.GetValue<string>());
        Assert.Equal(issuer + "connect/userinfo", discovery["userinfo_endpoint"]!.GetValue<string>());
        Assert.Equal(issuer + ".well-known/jwks", discovery["jwks_uri"]!.GetValue<string>());
        Assert.Equal(["code"], Strings(discovery["response_types_supported"]));
        Assert.Equal(["S256"], Strings(discovery["code_challenge_methods_supported"]));
        Assert.Equal(["pairwise"], Strings(discovery["subject_types_supported"]));
        Assert.Equal(["RS256"], Strings(discovery["id_token_signing_alg_values_supported"]));
        Assert.DoesNotContain("private_key_jwt", Strings(discovery["token_endpoint_auth_methods_supported"]));

        var keys = JsonNode.Parse(await http.GetStringAsync(".well-known/jwks"))!["keys"]!.AsArray();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Equal(("RSA", "sig"), (key!["kty"]!.GetValue<string>(), key["use"]!.GetValue<string>()));
            foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi", "k" })
            {
                Assert.Null(key[secret]);
            }
        }
    }

    [Fact]
    public async Task A_wrong_redirect_uri_is_refused_without_redirecting_anywhere()
    {
        await using var app = await OidcClientApp.StartAsync(Server);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = Server.BaseUrl
        };
        foreach (var redirect in new[]
            {
                "https://evil.example/cb", app.RedirectUri + "/", app.RedirectUri + "?x=1",
                app.RedirectUri.ToString().ToUpperInvariant()
            })
        {
            using var response = await http.GetAsync(Authorize(app.ClientId, redirect, challenge: true));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_public_client_without_pkce_or_with_plain_pkce_is_refused()
    {
        await using var app = await OidcClientApp.StartAsync(Server, isPublic: true);
        Assert.Null(app.ClientSecret);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = Server.BaseUrl
        };

        // Refused with an error page (never a sign-in page), as every request that fails our checks.
        using var missing = await http.GetAsync(Authorize(app.ClientId, app.RedirectUri.ToString(), challenge: false));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("PKCE", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var plainUrl = Authorize(app.ClientId, app.RedirectUri.ToString(), challenge: true)
            .Replace("S256", "plain", StringComparison.Ordinal);
        using var plain = await http.GetAsync(plainUrl);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);

        using var good = await http.GetAsync(Authorize(app.ClientId, app.RedirectUri.ToString(), challenge: true));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);

        // The sign-in page itself runs only this server's files: no inline script, no remote asset, no framing.
        var policy = good.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.EndsWith("form-action 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_or_disabled_clients_and_a_missing_state_get_no_sign_in_page()
    {
        await using var app = await OidcClientApp.StartAsync(Server);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = Server.BaseUrl
        };
        using var unknown = await http.GetAsync(Authorize("bc-nobody", app.RedirectUri.ToString(), challenge: true));
        AssertRefused(unknown);

        using var stateless = await http.GetAsync(
            Authorize(app.ClientId, app.RedirectUri.ToString(), challenge: true)
                .Replace("&state=s1", "", StringComparison.Ordinal));
        AssertRefused(stateless);

        var disabled = await Server.RunCliAsync("client", "disable", app.ClientId);
        Assert.True(disabled.ExitCode == 0, disabled.Stderr);
        using var refused = await http.GetAsync(Authorize(app.ClientId, app.RedirectUri.ToString(), challenge: true));
        AssertRefused(refused);
    }

    private static void AssertRefused(HttpResponseMessage response)
    {
        Assert.True(
            response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized,
            response.StatusCode.ToString());
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_wrong_client_secret_cannot_redeem_a_code_the_right_one_then_can()
    {
        await using var app = await OidcClientApp.StartAsync(Server);
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        var refusals = new List<string>();
        app.BeforeRedeem = async (code, verifier) =>
        {
            refusals.Add(
                (await RedeemAsync(app, code, verifier, app.ClientSecret + "x")).Body["error"]!.GetValue<string>());
            refusals.Add((await RedeemAsync(app, code, verifier, null)).Body["error"]!.GetValue<string>());
        };

        await page.GotoAsync(app.BaseUrl.ToString());
        await page.FillAsync("#phone", "+79003112202");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var number = await page.Locator("#call-link").GetAttributeAsync("href");
        await CallAsync("+79003112202", number!["tel:".Length..]);

        // The app's own redemption, with the right secret, after the two refused ones: it signs the user in.
        await BackInAppAsync(page, app);
        Assert.Equal(["invalid_client", "invalid_client"], refusals);
        var claims = JsonNode.Parse(await page.Locator("body").InnerTextAsync())!;
        Assert.Equal("+79003112202", claims["phone_number"]!.GetValue<string>());
    }

    /// <summary>
    /// Signs a user in to the app by typing the phone and calling from it; the app's view of the user.
    /// </summary>
    private async Task<JsonNode> SignInAsync(OidcClientApp app, string phone)
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl.ToString());
        await page.FillAsync("#phone", phone);
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var number = await page.Locator("#call-link").GetAttributeAsync("href");
        await CallAsync(phone, number!["tel:".Length..]);
        await BackInAppAsync(page, app);
        return JsonNode.Parse(await page.Locator("body").InnerTextAsync())!;
    }

    /// <summary>Waits for the page to come back to the app signed in; says what went wrong if it does not.</summary>
    private async Task BackInAppAsync(IPage page, OidcClientApp app, IEnumerable<string>? console = null)
    {
        try
        {
            await page.WaitForURLAsync(app.BaseUrl.ToString(), new PageWaitForURLOptions { Timeout = 60_000 });
        }
        catch (PlaywrightException ex)
        {
            throw new InvalidOperationException(
                $"{ex.Message}\napp: {string.Join('\n', app.Failures)}\n"
                + $"backcall: {string.Join('\n', Server.Output.TakeLast(30))}"
                + $"\npage at {page.Url}: {string.Join('\n', console ?? [])}",
                ex);
        }
    }

    private Task<SipCallResult> CallAsync(string from, string to) => CallAsync(Server, from, to);

    private static async Task<SipCallResult> CallAsync(BackcallProcess server, string from, string to) =>
        await new SipCallClient().CallAsync(SipEndpoint.Parse("udp:" + server.Announced["sip udp"]), from, to)
            .WaitAsync(TimeSpan.FromSeconds(60));

    private async Task<(HttpStatusCode Status, JsonNode Body)> RedeemAsync(
        OidcClientApp app, string code, string verifier, string? secret, BackcallProcess? server = null)
    {
        using var http = (server ?? Server).CreateClient();
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = app.RedirectUri.ToString(),
            ["client_id"] = app.ClientId,
        };
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }

        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(form));
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"token endpoint: {(int)response.StatusCode} {text}");
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    private static string Authorize(string clientId, string redirect, bool challenge) =>
        "connect/authorize?response_type=code&scope=openid%20phone&state=s1&nonce=n1"
        + "&client_id=" + Uri.EscapeDataString(clientId) + "&redirect_uri=" + Uri.EscapeDataString(redirect)
        + (challenge ? "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256" : "");

    private static JsonNode JwtPart(string jwt, int index)
    {
        var part = jwt.Split('.')[index].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part)))!;
    }

    private static string[] Strings(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];
}

/// <summary>
/// One backcall process with the provider over HTTP (loopback) and a pool of numbers, for a test class.
/// </summary>
public sealed class SignInServerFixture : IAsyncLifetime, IAsyncDisposable
{
    public BackcallProcess Server { get; private set; } = null!;

    /// <summary>More settings (environment variables) for a server of a test's own.</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    public async Task InitializeAsync()
    {
        Server = await BackcallProcess.StartAsync(
            environment: new Dictionary<string, string>(Settings) { ["BACKCALL_SignIn__AllowHttp"] = "true" });
        await Server.AddNumbersAsync("+79640000001", "+79640000002", "+79640000003");
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
