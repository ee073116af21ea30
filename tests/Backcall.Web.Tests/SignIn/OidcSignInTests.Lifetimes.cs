using System.Net;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;
using Backcall.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.SignIn;

/// <summary>
/// What ends on its own, on a server of its own with short lifetimes: an attempt nobody called
/// (the page offers a new number, and that one signs in) and a code nobody redeemed in time.
/// </summary>
public sealed partial class OidcSignInTests
{
    // Short enough to wait for, long enough that a loaded machine still shows the number, places the call and
    // redeems a fresh code inside them: the test must not depend on how fast the page, the call or the app are.
    private static readonly TimeSpan ShortLifetime = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ShortCodeLifetime = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_attempt_nobody_called_offers_a_new_number_and_a_code_redeemed_too_late_is_refused()
    {
        await using var own = new SignInServerFixture
        {
            Settings =
            {
                ["BACKCALL_Authorizations__Lifetime"] = ShortLifetime.ToString(),
                ["BACKCALL_SignIn__CodeLifetime"] = ShortCodeLifetime.ToString(),
            },
        };
        await own.InitializeAsync();
        await using var app = await OidcClientApp.StartAsync(own.Server);
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl.ToString());
        await page.FillAsync("#phone", "+79003119101");
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var expired = (await page.Locator("#call-link").GetAttributeAsync("href"))!["tel:".Length..];

        // Nobody calls: the page says the time is up and offers a new number.
        await Expect(page.Locator("#screen-expired")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await page.TakeAsync(output, "signin-6-expired");
        // A call after the end confirms nothing: the page stays as it is, the app gets no code.
        await CallAsync(own.Server, "+79003119101", expired);
        await Expect(page.Locator("#screen-expired")).ToBeVisibleAsync();
        Assert.Empty(app.Codes);

        // The new attempt, called at once, signs in.
        await page.ClickAsync("#retry");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var number = (await page.Locator("#call-link").GetAttributeAsync("href"))!["tel:".Length..];
        await CallAsync(own.Server, "+79003119101", number);
        await page.WaitForURLAsync(app.BaseUrl.ToString(), new PageWaitForURLOptions { Timeout = 60_000 });
        var claims = JsonNode.Parse(await page.Locator("body").InnerTextAsync())!;
        Assert.Equal("+79003119101", claims["phone_number"]!.GetValue<string>());

        // A code kept past its lifetime is refused. The wait is a lower bound (a slower machine only waits longer),
        // not an expectation of speed; the code cannot be looked at without redeeming it.
        app.BeforeRedeem = (_, _) => throw new InvalidOperationException("the test redeems this code itself");
        var kept = await CodeAsync(own.Server, app, "+79003119102");
        await Task.Delay(ShortCodeLifetime + TimeSpan.FromSeconds(2));
        var (status, body) = await RedeemAsync(app, kept.Code, kept.Verifier, app.ClientSecret, own.Server);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
    }

    /// <summary>Signs in by typing the phone and calling from it; the code the app got (and did not redeem).</summary>
    private async Task<(string Code, string Verifier)> CodeAsync(
        BackcallProcess server, OidcClientApp app, string phone)
    {
        var had = app.Codes.Count;
        await using var context = await browser.NewContextAsync(app.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl.ToString());
        await page.FillAsync("#phone", phone);
        await page.ClickAsync("#start");
        await Expect(page.Locator("#screen-call")).ToBeVisibleAsync();
        var number = (await page.Locator("#call-link").GetAttributeAsync("href"))!["tel:".Length..];
        await CallAsync(server, phone, number);
        await WaitForAsync(() => Task.FromResult(app.Codes.Count > had), "the app to receive its code", 60);
        return app.Codes.Last();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, int seconds) =>
        Assert.True(await Wait.UntilAsync(condition, TimeSpan.FromSeconds(seconds)), $"waited {seconds} s for {what}");
}
