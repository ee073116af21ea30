using Backcall.Server.Tests.Infrastructure;
using Backcall.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.Demo;

/// <summary>
/// Expiry in the demo, on a server whose authorizations live 5 seconds (the shortest the options allow).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoExpiryTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task An_expired_number_offers_a_new_attempt()
    {
        await using var server = await WebServers.StartDevelopmentAsync(
            new Dictionary<string, string> { ["BACKCALL_Authorizations__Lifetime"] = "00:00:05" });
        await using var context = await browser.NewContextAsync(server.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?lang=en");
        await page.FillAsync("#phone", "89001113301");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var firstQr = await page.GetAttributeAsync("#qr", "src");

        await Expect(page.Locator("#screen-expired")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("#screen-expired h1")).ToHaveTextAsync("Time is up");
        await page.TakeAsync(output, "demo-expired");

        // A call after expiry changes nothing: it is logged as late.
        var late = await server.ReportCallAsync("+79001113301", "+79640000001");
        Assert.Equal("expired", late["outcome"]!.GetValue<string>());

        await page.ClickAsync("#retry");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        await Expect(page.Locator("#countdown"))
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^0:0[1-5]$"));
        Assert.NotEqual(firstQr, await page.GetAttributeAsync("#qr", "src"));
        await page.TakeAsync(output, "demo-expired-retry");
    }
}
