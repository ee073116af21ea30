using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Sip;
using Backcall.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.SignIn;

/// <summary>
/// The sign-in page itself: its look on a phone and a desktop in both languages, and what an attacker tries on
/// it (another browser, another site, another phone, a replayed attempt).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInPageTests(
    BrowserFixture browser, SignInServerFixture fixture, ITestOutputHelper output) : IClassFixture<SignInServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Theory]
    [InlineData("en", 390)]
    [InlineData("en", 1280)]
    [InlineData("ru", 390)]
    [InlineData("ru", 1280)]
    public async Task The_page_fits_a_phone_and_a_desktop_in_both_languages(string lang, int width)
    {
        await using var app = await OidcClientApp.StartAsync(Server);
        await using var context = await browser.NewContextAsync(app.BaseUrl, new BrowserNewContextOptions
        {
            Locale = lang == "ru" ? "ru-RU" : "en-US",
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            IsMobile = width < 600,
            HasTouch = width < 600,
        });
        var page = await context.NewPageAsync();
        var remote = ForeignRequests.Record(page);
        await page.GotoAsync(app.BaseUrl.ToString());
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Expect(page.Locator("h1").First).ToHaveTextAsync(lang == "ru" ? "Вход по звонку" : "Sign in by a call");
        await page.AssertLaidOutAsync($"choose {lang} {width}");
        await page.TakeAsync(output, $"signin-1-choose-{lang}-{width}");

        await page.FillAsync("#phone", $"+7900311{(lang == "ru" ? 3 : 4)}{width % 1000:D3}");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync(
            "() => { const i = document.getElementById('qr'); return i.complete && i.naturalWidth > 0; }");
        await Expect(page.Locator("#countdown")).ToHaveTextAsync(new Regex(@"^[12]:\d\d$"));
        await page.AssertLaidOutAsync($"call {lang} {width}");
        await page.TakeAsync(output, $"signin-2-call-{lang}-{width}");
        Assert.Empty(remote);
    }

    [Fact]
    public async Task A_call_from_another_phone_says_so_and_signs_nobody_in()
    {
        // A server of its own: the hint is given only while one app's authorizations wait on the number.
        await using var own = new SignInServerFixture();
        await own.InitializeAsync();
        await using var app = await OidcClientApp.StartAsync(own.Server);
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl.ToString());
        await page.FillAsync("#phone", "+79003115001");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var number = (await page.Locator("#call-link").GetAttributeAsync("href"))!["tel:".Length..];

        await new SipCallClient()
            .CallAsync(SipEndpoint.Parse("udp:" + own.Server.Announced["sip udp"]), "+79003115999", number)
            .WaitAsync(TimeSpan.FromSeconds(60));
        await Expect(page.Locator("#other-caller")).ToBeVisibleAsync();
        await Expect(page.Locator("#other-caller")).ToContainTextAsync("another phone");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        Assert.Empty(app.Codes);
        await page.TakeAsync(output, "signin-3-other-phone");
    }

    [Fact]
    public async Task Another_browser_cannot_watch_an_attempt_and_another_site_cannot_start_one()
    {
        await using var app = await OidcClientApp.StartAsync(Server);
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl.ToString());
        var ticket = await page.Locator("body").GetAttributeAsync("data-ticket");
        await page.FillAsync("#phone", "+79003115002");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();

        // A stranger without the attempt cookie learns nothing, and cannot forge one.
        using var stranger = Server.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("signin/api/check")).StatusCode);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "signin/api/check");
        forged.Headers.Add("Cookie", "backcall_signin=eyJBdXRob3JpemF0aW9uSWQiOjEwMDAwMX0.AAAA");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(forged)).StatusCode);

        // Another site's page posting to the start endpoint (the browser says so) is refused.
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "signin/api/start")
        {
            Content = JsonContent.Create(new { ticket, phone = "+79003115003" })
        };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.SendAsync(crossSite)).StatusCode);
        using var otherOrigin = new HttpRequestMessage(HttpMethod.Post, "signin/api/start")
        {
            Content = JsonContent.Create(new { ticket, phone = "+79003115003" })
        };
        otherOrigin.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.SendAsync(otherOrigin)).StatusCode);

        // A form post (not JSON) cannot start one either, and a made-up ticket is refused.
        using var form = await stranger.PostAsync(
            "signin/api/start",
            new FormUrlEncodedContent(
                new Dictionary<string, string> { ["ticket"] = ticket!, ["phone"] = "+79003115003" }));
        Assert.False(form.IsSuccessStatusCode);
        using var made = await stranger.PostAsJsonAsync(
            "signin/api/start", new { ticket = ticket![..^4] + "AAAA", phone = "+79003115003" });
        Assert.Equal(HttpStatusCode.BadRequest, made.StatusCode);
    }

    [Fact]
    public async Task A_finished_attempt_cannot_be_finished_again_for_another_request_or_by_replaying_its_cookie()
    {
        await using var app = await OidcClientApp.StartAsync(Server);
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();

        // Keep the attempt cookie as it was when the call came, before the page used it.
        await page.GotoAsync(app.BaseUrl.ToString());
        await page.FillAsync("#phone", "+79003115004");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var authorizeUrl = page.Url;
        var attempt = (await context.CookiesAsync()).Single(c => c.Name == "backcall_signin");
        var number = (await page.Locator("#call-link").GetAttributeAsync("href"))!["tel:".Length..];
        await CallAsync("+79003115004", number);
        await page.WaitForURLAsync(app.BaseUrl.ToString(), new PageWaitForURLOptions { Timeout = 60_000 });
        Assert.Single(app.Codes);

        // The same cookie again on the same authorize URL: the sign-in page (saying it is used), no second code.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var replay = new HttpRequestMessage(HttpMethod.Get, authorizeUrl);
        replay.Headers.Add("Cookie", $"backcall_signin={attempt.Value}");
        using var answer = await http.SendAsync(replay);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("data-used=\"true\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nor does it finish another request (another state, so another code for the attacker's session).
        using var other = new HttpRequestMessage(
            HttpMethod.Get, authorizeUrl.Replace("state=", "state=x", StringComparison.Ordinal));
        other.Headers.Add("Cookie", $"backcall_signin={attempt.Value}");
        using var otherAnswer = await http.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, otherAnswer.StatusCode);
        Assert.Contains("data-used=\"false\"", await otherAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(app.Codes);
    }

    [Fact]
    public async Task A_client_without_just_call_offers_only_the_phone_and_identify_mode_asked_directly_is_refused()
    {
        await using var app = await OidcClientApp.StartAsync(Server, justCall: false);
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl.ToString());
        await Expect(page.Locator("#phone")).ToBeVisibleAsync();
        await Expect(page.Locator("#just-call")).ToBeHiddenAsync();
        await Expect(page.Locator("#phone-label")).ToHaveTextAsync("Enter your phone");
        await page.TakeAsync(output, "signin-5-phone-only");

        // The attacker's way: the page's own ticket, from the page itself (same origin), asking for "just call".
        var asked = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await fetch('/signin/api/start', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ ticket: document.body.dataset.ticket, phone: null }) });
              return { status: r.status, body: await r.json() };
            }
            """);
        Assert.Equal(403, asked.GetProperty("status").GetInt32());
        Assert.Equal("just_call_disabled", asked.GetProperty("body").GetProperty("code").GetString());
        var ticket = await page.Locator("body").GetAttributeAsync("data-ticket");
        using var http = Server.CreateClient();
        foreach (var phone in new[] { null, "", "  " })
        {
            using var direct = await http.PostAsJsonAsync("signin/api/start", new { ticket, phone });
            Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        }

        // No attempt was started (nothing to watch), and typing the phone still works.
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "backcall_signin");
        await page.FillAsync("#phone", "+79003115006");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();

        // Offered again by the operator: a new page offers both ways.
        using var admin = Server.CreateAdminClient();
        using var on = await admin.PostAsync($"api/admin/clients/{app.ClientId}/enable-just-call", null);
        Assert.True(on.IsSuccessStatusCode, await on.Content.ReadAsStringAsync());
        await using var later = await browser.NewContextAsync(app.BaseUrl);
        var again = await later.NewPageAsync();
        await again.GotoAsync(app.BaseUrl.ToString());
        await Expect(again.Locator("#just-call")).ToBeVisibleAsync();
        await Expect(again.Locator("#phone-label")).ToHaveTextAsync("Or enter your phone");
    }

    [Fact]
    public async Task A_client_whose_token_is_disabled_starts_no_attempt_its_sign_ins_are_that_tokens()
    {
        await using var app = await OidcClientApp.StartAsync(Server);
        using var admin = Server.CreateAdminClient();
        var client = JsonNode.Parse(await admin.GetStringAsync($"api/admin/clients/{app.ClientId}"))!;
        var token = client["token_id"]!.GetValue<long>();
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl.ToString());

        using var off = await admin.PostAsync($"api/admin/tokens/{token}/disable", null);
        Assert.True(off.IsSuccessStatusCode, $"{off.StatusCode} {await off.Content.ReadAsStringAsync()}");
        await page.FillAsync("#phone", "+79003115007");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#start-error")).ToContainTextAsync("cannot sign anyone in");
        await Expect(page.Locator("#screen-choose")).ToBeVisibleAsync();

        using var on = await admin.PostAsync($"api/admin/tokens/{token}/enable", null);
        Assert.True(on.IsSuccessStatusCode, $"{on.StatusCode} {await on.Content.ReadAsStringAsync()}");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
    }

    private async Task CallAsync(string from, string to) =>
        await new SipCallClient().CallAsync(SipEndpoint.Parse("udp:" + Server.Announced["sip udp"]), from, to)
            .WaitAsync(TimeSpan.FromSeconds(60));
}
