using Backcall.Web.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.Demo;

/// <summary>
/// A server whose only SIP trunk is a carrier elsewhere: loopback is no trusted source, so the demo's
/// INVITE is dropped by the listener. The page says so plainly and the console counts it as denied.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SipDeniedTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task An_INVITE_from_an_untrusted_source_is_reported_on_the_page_and_counted_on_the_dashboard()
    {
        await using var server = await WebServers.StartDevelopmentAsync(new Dictionary<string, string>
        {
            ["BACKCALL_Sip__Trunks__0__Name"] = "carrier",
            ["BACKCALL_Sip__Trunks__0__Sources__0"] = "192.0.2.10",
        });
        await using var context = await browser.NewContextAsync(server.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?lang=en");
        await page.FillAsync("#phone", "89001117701");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();

        await page.ClickAsync("#simulate");
        await Expect(page.Locator("#simulate-error")).ToContainTextAsync("did not answer", new() { Timeout = 30_000 });
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        await page.TakeAsync(output, "demo-sip-untrusted");

        await page.GotoAsync("/admin");
        await page.FillAsync("#key", server.AdminKey);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-dashboard", "ready");
        await Expect(page.Locator("#legend-calls")).ToContainTextAsync("SIP denied");
        Assert.True(await page.Locator("#chart-calls rect.s3").CountAsync() > 0, "the denied INVITEs are not drawn");
        await page.TakeAsync(output, "console-dashboard-sip-denied");
    }
}
