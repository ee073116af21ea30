using Backcall.Server.Tests.Infrastructure;
using Backcall.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.Operator;

/// <summary>The operator console at /admin, on a production-configured server (demo off).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleTests(BrowserFixture browser, ConsoleTests.ServerFixture fixture, ITestOutputHelper output)
    : IClassFixture<ConsoleTests.ServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Fact]
    public async Task A_wrong_admin_key_is_refused_and_the_console_stays_closed()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/admin/tokens");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/login"));

        await page.FillAsync("#key", "not-the-admin-key");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("#sign-in"),
            r => r.Url.EndsWith("/admin/login", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.Equal(401, response.Status);
        await Expect(page.Locator("#login-error")).ToContainTextAsync("Wrong admin key");
        await page.TakeAsync(output, "console-wrong-key");

        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "backcall_console");
        await page.GotoAsync("/admin");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/login"));
        var data = await context.APIRequest.GetAsync("/admin/data/dashboard");
        Assert.Equal(401, data.Status);
    }

    [Fact]
    public async Task Sign_in_shows_the_dashboard_with_a_secure_cookie()
    {
        // Some activity to chart: two authorizations, one confirmed by a call, and one call from nobody waited for.
        var (token, _, _) = await Server.CreateTokenAsync("dashboard");
        await Server.AddNumbersAsync("+79640000066");
        using var client = Server.CreateClient();
        var first = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001116601");
        await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001116602");
        await Server.ReportCallAsync("+79001116601", "+" + first.Body["data"]!["auth_phone"]!.GetValue<string>());
        await Server.ReportCallAsync("+79001116603", "+79640000099");

        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await SignInAsync(context);
        var foreign = ForeignRequests.Record(page);
        await page.ReloadAsync();

        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "backcall_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(Server.AdminKey, cookie.Value, StringComparison.Ordinal);

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-dashboard", "ready");
        var created = int.Parse(
            (await page.Locator("#stat-created").TextContentAsync())!,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(created >= 2);
        Assert.True(
            await page.Locator("#chart-authorizations circle").CountAsync() > 0,
            "no point drawn for the authorizations created");

        // Identify mode's capacity: numbers held and free now, sign-ins per lifetime.
        var heldAndFree = new System.Text.RegularExpressions.Regex(@"^\d+ / \d+$");
        await Expect(page.Locator("#stat-identify")).ToHaveTextAsync(heldAndFree);
        var capacity = await page.Locator("#stat-identify-capacity").TextContentAsync();
        Assert.Matches(@"\d", capacity);
        Assert.True(
            await page.Locator("#chart-time-to-call rect").CountAsync() > 0, "no bar drawn for the time to call");
        foreach (var chart in new[]
        {
            "#chart-authorizations", "#chart-rate", "#chart-time-to-call", "#chart-calls", "#chart-webhooks",
        })
        {
            Assert.True(await page.Locator(chart + " > *").CountAsync() > 0, chart + " is empty");
        }

        await page.TakeAsync(output, "console-dashboard");
        Assert.Empty(foreign);

        await page.ClickAsync("#sign-out");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/login"));
    }

    [Fact]
    public async Task Creating_a_token_shows_its_secrets_once_and_the_token_works()
    {
        await using var context = await browser.NewContextAsync(
            Server.BaseUrl, new() { Permissions = ["clipboard-read", "clipboard-write"] });
        var page = await SignInAsync(context);
        await page.ClickAsync("nav >> text=Tokens");
        await page.FillAsync("#token-name", "browser-test app");
        await page.ClickAsync("#create-token");

        await Expect(page.Locator("#created-token")).ToBeVisibleAsync();
        var token = (await page.Locator("#new-token").TextContentAsync())!.Trim();
        var webhookSecret = (await page.Locator("#new-webhook-secret").TextContentAsync())!.Trim();
        Assert.StartsWith("whsec_", webhookSecret, StringComparison.Ordinal);
        await page.TakeAsync(output, "console-token-created");
        await page.ClickAsync("#created-token button[data-copy=new-token]");
        await Expect(page.Locator("#created-token button[data-copy=new-token]")).ToHaveTextAsync("Copied");
        Assert.Equal(token, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // The token from the page works against the contract API.
        using var client = Server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/");
        Assert.Equal(200, status);
        Assert.True(body["success"]!.GetValue<bool>());

        // Listed without its secret; disabling it takes effect at once.
        await page.GotoAsync("/admin/tokens");
        var row = page.Locator("#tokens-table tr", new() { HasText = "browser-test app" });
        await Expect(row).ToContainTextAsync("active");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.Locator("button", new() { HasText = "Disable" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Token disabled");
        await Expect(page.Locator("#tokens-table tr", new() { HasText = "browser-test app" }))
            .ToContainTextAsync("disabled");
        Assert.Equal(401, (await client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/")).Status);

        // Top up.
        row = page.Locator("#tokens-table tr", new() { HasText = "browser-test app" });
        await row.Locator("input[name=amount]").FillAsync("12.5");
        await row.Locator("button", new() { HasText = "Top up" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("topped up");
        await Expect(page.Locator("#tokens-table tr", new() { HasText = "browser-test app" }))
            .ToContainTextAsync("12.5");

        // A bad amount is explained beside the tokens, not on a page of its own.
        row = page.Locator("#tokens-table tr", new() { HasText = "browser-test app" });
        await row.Locator("input[name=amount]").EvaluateAsync("e => { e.type = 'text'; e.value = 'lots'; }");
        await row.Locator("button", new() { HasText = "Top up" }).ClickAsync();
        await Expect(page.Locator("#action-error")).ToContainTextAsync("amount must be a number");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tokens");

        // A new webhook secret, shown once; the old one is gone from the page.
        await page.GotoAsync("/admin/tokens");
        await page.Locator("#tokens-table tr", new() { HasText = "browser-test app" })
            .Locator("button", new() { HasText = "New webhook secret" })
            .ClickAsync();
        await Expect(page.Locator("#rotated-secret")).ToBeVisibleAsync();
        var rotated = (await page.Locator("#new-webhook-secret").TextContentAsync())!.Trim();
        Assert.StartsWith("whsec_", rotated, StringComparison.Ordinal);
        Assert.NotEqual(webhookSecret, rotated);
        await page.GotoAsync("/admin/tokens");
        Assert.DoesNotContain(rotated, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_a_number_lists_it_and_it_can_be_disabled_and_removed()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await SignInAsync(context);
        await page.GotoAsync("/admin/numbers");
        await page.FillAsync("#number-input", "8 964 000-00-77");
        await page.ClickAsync("#add-number");
        await Expect(page.Locator(".notice")).ToContainTextAsync("Number added");
        var row = page.Locator("#numbers-table tr", new() { HasText = "+7 964 000-00-77" });
        await Expect(row).ToContainTextAsync("enabled");
        await page.TakeAsync(output, "console-number-added");

        await row.Locator("button", new() { HasText = "Disable" }).ClickAsync();
        await Expect(page.Locator("#numbers-table tr", new() { HasText = "+7 964 000-00-77" }))
            .ToContainTextAsync("disabled");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("#numbers-table tr", new() { HasText = "+7 964 000-00-77" })
            .Locator("button", new() { HasText = "Remove" })
            .ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Number removed");
        await Expect(page.Locator("#numbers-table")).Not.ToContainTextAsync("+7 964 000-00-77");

        // A bad number is explained, not a server error.
        await page.FillAsync("#number-input", "not a number");
        await page.ClickAsync("#add-number");
        await Expect(page.Locator("#action-error")).ToContainTextAsync("is not a phone number");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Numbers");
        await Expect(page.Locator("#number-input")).ToHaveValueAsync("not a number");
    }

    [Fact]
    public async Task A_client_is_registered_without_just_call_and_it_is_switched_on_and_off_again()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await SignInAsync(context);
        await page.GotoAsync("/admin/clients");
        await Expect(page.Locator("#client-just-call")).ToBeCheckedAsync();
        await page.FillAsync("#client-name", "Phone-only bank");
        await page.FillAsync("#client-redirect-uris", "https://bank.example/signin-oidc");
        await page.UncheckAsync("#client-just-call");
        await page.ClickAsync("#create-client");
        await Expect(page.Locator("#new-client-secret")).ToBeVisibleAsync();
        var id = await page.Locator("#new-client-id").InnerTextAsync();

        await page.GotoAsync("/admin/clients");
        var row = page.Locator("#clients-table tr", new() { HasText = "Phone-only bank" });
        await Expect(row.Locator(".just-call")).ToHaveTextAsync("off");
        using var admin = Server.CreateAdminClient();
        var stored = System.Text.Json.Nodes.JsonNode.Parse(await admin.GetStringAsync("api/admin/clients/" + id))!;
        Assert.False(stored["just_call"]!.GetValue<bool>());

        await row.Locator("button", new() { HasText = "Offer just call" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Just call offered");
        var bank = page.Locator("#clients-table tr", new() { HasText = "Phone-only bank" });
        await Expect(bank.Locator(".just-call")).ToHaveTextAsync("offered");
        await bank.Locator("button", new() { HasText = "No just call" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Just call off");
        await Expect(bank.Locator(".just-call")).ToHaveTextAsync("off");
    }

    [Fact]
    public async Task A_form_without_the_anti_forgery_token_is_refused()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        await SignInAsync(context);

        // Same session cookie, no form token: what a forged cross-site form would send.
        var forged = await context.APIRequest.PostAsync(
            "/admin/numbers", new() { Form = context.APIRequest.CreateFormData().Set("number", "+79640000088") });
        Assert.Equal(400, forged.Status);
        Assert.Contains("did not come from this console", await forged.TextAsync(), StringComparison.Ordinal);
        using var admin = Server.CreateAdminClient();
        Assert.DoesNotContain(
            "+79640000088", await admin.GetStringAsync("api/admin/numbers"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorizations_calls_and_webhooks_pages_show_and_filter_activity()
    {
        var (token, tokenId, _) = await Server.CreateTokenAsync("activity");
        await Server.AddNumbersAsync("+79640000055");
        using var client = Server.CreateClient();
        var created = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001114401");
        Assert.Equal(200, created.Status);
        var number = "+" + created.Body["data"]!["auth_phone"]!.GetValue<string>();
        await Server.ReportCallAsync("+79001114401", number);

        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await SignInAsync(context);
        await page.GotoAsync($"/admin/authorizations?token={tokenId}");
        var row = page.Locator("#authorizations-table tbody tr").First;
        await Expect(row).ToContainTextAsync("+7 900 111-44-01");
        await Expect(row).ToContainTextAsync("ok");
        await page.TakeAsync(output, "console-authorizations");

        await page.FillAsync("#authorizations-filter input[name=phone]", "89009999999");
        await page.ClickAsync("#authorizations-filter button");
        await Expect(page.Locator("#authorizations-table")).ToContainTextAsync("Nothing here yet.");

        await page.GotoAsync("/admin/calls?phone=%2B79001114401");
        await Expect(page.Locator("#calls-table tbody tr").First).ToContainTextAsync("matched");
        await page.SelectOptionAsync("#calls-filter select[name=outcome]", "wrong_caller");
        await page.ClickAsync("#calls-filter button");
        await Expect(page.Locator("#calls-table")).ToContainTextAsync("Nothing here yet.");

        await page.GotoAsync("/admin/webhooks");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Webhook deliveries");
    }

    [Fact]
    public async Task Long_lists_are_paged_and_filtered_by_date()
    {
        // 101 calls from one phone to a number nobody waits on.
        for (var i = 0; i < 101; i++)
        {
            await Server.ReportCallAsync("+79001118800", "+79640000098", $"paging-{i}");
        }

        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await SignInAsync(context);
        await page.GotoAsync("/admin/calls?phone=%2B79001118800");
        Assert.Equal(100, await page.Locator("#calls-table tbody tr").CountAsync());
        await page.ClickAsync("#older");
        Assert.Equal(1, await page.Locator("#calls-table tbody tr").CountAsync());
        await Expect(page.Locator("#calls-table")).ToContainTextAsync("paging-0");
        await Expect(page.Locator("#older")).ToHaveCountAsync(0);

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync("/admin/calls?phone=%2B79001118800");
        await page.FillAsync("#calls-filter input[name=to]", "2001-01-01");
        await page.ClickAsync("#calls-filter button");
        await Expect(page.Locator("#calls-table")).ToContainTextAsync("Nothing here yet.");
        await page.GotoAsync($"/admin/calls?phone=%2B79001118800&from={today}&to={today}");
        Assert.Equal(100, await page.Locator("#calls-table tbody tr").CountAsync());
        await Expect(page.Locator("#calls-table time").First)
            .ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"));
    }

    [Fact]
    public async Task The_console_speaks_Russian_and_English_and_remembers_the_choice()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl, new() { Locale = "ru-RU" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/admin/login");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Expect(page.Locator("#sign-in")).ToHaveTextAsync("Войти");
        await page.FillAsync("#key", Server.AdminKey);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Обзор");
        await page.GotoAsync("/admin/tokens");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Токены");
        await Expect(page.Locator("#create-token")).ToHaveTextAsync("Создать токен");

        await page.ClickAsync("#lang-en");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Tokens");
        await page.GotoAsync("/admin/numbers");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Numbers");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
    }

    [Fact]
    public async Task Console_pages_keep_the_strict_content_security_policy()
    {
        await using var context = await browser.NewContextAsync(Server.BaseUrl);
        var page = await SignInAsync(context);
        foreach (var path in new[] { "/admin/login", "/admin", "/admin/tokens", "/admin/trunks" })
        {
            var response = await page.GotoAsync(path);
            var policy = (await response!.AllHeadersAsync())["content-security-policy"];
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("script:not([src]), [style]").CountAsync());
        }
    }

    /// <summary>Signs in with the admin key; the dashboard's title says it worked (in the page's language).</summary>
    internal static async Task<IPage> SignInAsync(
        IBrowserContext context, BackcallProcess server, string title = "Dashboard")
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/admin");
        await page.FillAsync("#key", server.AdminKey);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        return page;
    }

    private Task<IPage> SignInAsync(IBrowserContext context) => SignInAsync(context, Server);

    public sealed class ServerFixture : IAsyncLifetime
    {
        public BackcallProcess Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await WebServers.StartProductionAsync();

        public async Task DisposeAsync()
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
    }
}
