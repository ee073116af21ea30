using System.Text.RegularExpressions;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.Demo;

/// <summary>The demo at / in a real browser against the real server in development configuration (demo on).</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoPageTests(BrowserFixture browser, DemoServerFixture demo, ITestOutputHelper output)
    : IClassFixture<DemoServerFixture>
{
    private BackcallProcess Server => demo.Server;

    [Fact]
    public async Task Full_flow_phone_then_qr_then_simulated_call_then_success()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await context.NewPageAsync();
        var remote = ForeignRequests.Record(page);

        await page.GotoAsync("/");
        await Expect(page.Locator("h1").First).ToHaveTextAsync("Log in by a call");
        await page.TakeAsync(output, "demo-1-phone");

        await page.FillAsync("#phone", "8 900 111-22-01");
        await page.ClickAsync("#start");

        // The demo number the server put in the empty pool, written for people, with its QR and a tel: link.
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        await Expect(page.Locator("#auth-number")).ToHaveTextAsync("+7 964 000-00-01");
        await Expect(page.Locator("#call-link")).ToHaveAttributeAsync("href", "tel:+79640000001");
        await Expect(page.Locator("#user-phone")).ToHaveTextAsync("+7 900 111-22-01");
        await Expect(page.Locator("#qr"))
            .ToHaveAttributeAsync("src", new Regex("/api/v1/authcalls/get_qr_image/[^/]+/$"));
        await page.WaitForFunctionAsync(
            "() => { const i = document.getElementById('qr'); return i.complete && i.naturalWidth > 0; }");
        await Expect(page.Locator("#countdown")).ToHaveTextAsync(new Regex(@"^[12]:\d\d$"));
        await page.TakeAsync(output, "demo-2-call");

        await page.ClickAsync("#simulate");
        await Expect(page.Locator("#screen-success")).ToBeVisibleAsync();
        await Expect(page.Locator("#confirmed-phone")).ToHaveTextAsync("+7 900 111-22-01");
        await page.TakeAsync(output, "demo-3-success");

        // The server's record agrees: the authorization is confirmed by a real SIP INVITE that came in
        // through the server's own listener on the local trunk.
        using var admin = Server.CreateAdminClient();
        var (_, list, _) = await admin.GetJsonAsync("api/admin/authorizations?phone=%2B79001112201");
        Assert.Equal("ok", list[0]!["status"]!.GetValue<string>());
        var (_, calls, _) = await admin.GetJsonAsync("api/admin/calls?phone=%2B79001112201");
        var call = Assert.Single(calls.AsArray());
        Assert.Equal("matched", call!["outcome"]!.GetValue<string>());
        Assert.StartsWith("sip:udp:127.0.0.1:", call["source"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("trunk=local", call["source"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(remote);
    }

    [Fact]
    public async Task Phone_screen_in_Russian_by_Accept_Language_confirmed_by_a_PBX_call_with_polling()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl, new BrowserNewContextOptions
        {
            Locale = "ru-RU",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
        });
        var page = await context.NewPageAsync();

        // Polling is the fallback when Server-Sent Events cannot be used; ?transport=poll forces it.
        await page.GotoAsync("/?transport=poll");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Expect(page.Locator("h1").First).ToHaveTextAsync("Вход по звонку");
        await page.FillAsync("#phone", "+7 (900) 111-22-02");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#auth-number")).ToHaveTextAsync("+7 964 000-00-01");
        await Expect(page.Locator("#status-text")).ToContainTextAsync("проверяем каждые 2 секунды");
        await AssertFitsScreenAsync(page);
        await page.TakeAsync(output, "demo-mobile-ru-call");

        // A real call reported the PBX way: the page learns it by polling.
        await Server.ReportCallAsync("+79001112202", "+79640000001");
        await Expect(page.Locator("#screen-success")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#screen-success h1")).ToHaveTextAsync("Телефон подтверждён");
        await Expect(page.Locator("#confirmed-phone")).ToHaveTextAsync("+7 900 111-22-02");
        await AssertFitsScreenAsync(page);
        await page.TakeAsync(output, "demo-mobile-ru-success");
    }

    [Fact]
    public async Task A_call_from_another_phone_gets_a_clear_message_and_the_right_call_still_confirms()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?lang=en");
        await page.FillAsync("#phone", "89001112203");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();

        await page.ClickAsync("#simulate-other");
        var warning = page.Locator("#other-caller");
        await Expect(warning).ToBeVisibleAsync();
        await Expect(warning).ToContainTextAsync("another phone (+7******0000)");
        await Expect(warning).ToContainTextAsync("+7 900 111-22-03");
        await page.TakeAsync(output, "demo-other-caller");

        await page.ClickAsync("#simulate");
        await Expect(page.Locator("#confirmed-phone")).ToHaveTextAsync("+7 900 111-22-03");
    }

    [Fact]
    public async Task Language_switch_changes_the_page_and_is_remembered()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#start")).ToHaveTextAsync("Get a number to call");

        await page.ClickAsync("#lang-ru");
        await Expect(page.Locator("#start")).ToHaveTextAsync("Получить номер для звонка");
        await Expect(page.Locator("#lang-ru")).ToHaveAttributeAsync("aria-pressed", "true");

        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Expect(page.Locator("#start")).ToHaveTextAsync("Получить номер для звонка");

        await page.ClickAsync("#lang-en");
        await Expect(page.Locator("h1").First).ToHaveTextAsync("Log in by a call");
    }

    [Fact]
    public async Task A_bad_phone_is_explained_in_the_page()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?lang=en");
        await page.FillAsync("#phone", "12ab");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#phone-error")).ToContainTextAsync("does not look like a phone number");
        await Expect(page.Locator("#screen-phone")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_demo_token_is_never_sent_to_the_browser_and_survives_a_restart()
    {
        var secret = (await File.ReadAllTextAsync(Path.Combine(Server.DataDirectory, "demo.token"))).Trim();
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await context.NewPageAsync();
        // Responses keep coming while the page waits for the call (events, polling): a collection safe to read then.
        var bodies = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Response += (_, r) => bodies.Enqueue(r.Url);
        await page.GotoAsync("/");
        await page.FillAsync("#phone", "89001112204");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(bodies, u => u.Contains(secret, StringComparison.Ordinal));

        using var admin = Server.CreateAdminClient();
        var before = (await admin.GetJsonAsync("api/admin/tokens")).Body.AsArray().Count;
        await Server.RestartAsync();
        var after = (await Server.CreateAdminClient().GetJsonAsync("api/admin/tokens")).Body.AsArray().Count;
        Assert.Equal(before, after);
        Assert.Equal(secret, (await File.ReadAllTextAsync(Path.Combine(Server.DataDirectory, "demo.token"))).Trim());
    }

    private static async Task AssertFitsScreenAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the phone's screen");
    }
}
