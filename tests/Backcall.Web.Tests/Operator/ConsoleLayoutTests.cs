using System.Text.RegularExpressions;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;
using Backcall.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.Operator;

/// <summary>
/// Every console page, in English and Russian, on a phone (390 px) and a desktop (1280 px), with data that makes
/// layouts fail: long names and URLs, failing webhooks, several trunks. Screenshots of all are kept as artifacts.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleLayoutTests(
    BrowserFixture browser,
    ConsoleLayoutTests.ServerFixture fixture,
    ITestOutputHelper output)
    : IClassFixture<ConsoleLayoutTests.ServerFixture>
{
    private static readonly int[] Widths = [390, 1280];
    private static readonly string[] Languages = ["en", "ru"];

    private BackcallProcess Server => fixture.Server;

    [Fact]
    public async Task Every_page_fits_a_phone_and_a_desktop_in_both_languages()
    {
        await fixture.DeliveredDeliveryAsync();
        var delivery = await fixture.FailingDeliveryAsync();
        string[] pages =
        [
            "/admin", "/admin/tokens", "/admin/numbers", "/admin/authorizations", "/admin/calls", "/admin/webhooks",
            "/admin/webhooks/" + delivery, "/admin/trunks", "/admin/clients",
        ];
        foreach (var lang in Languages)
        {
            foreach (var width in Widths)
            {
                await using var context = await NewContextAsync(width);
                var login = await context.NewPageAsync();
                await login.GotoAsync("/admin/login?lang=" + lang);
                await CheckAsync(login, $"{lang}-{width}-login");

                var page = await ConsoleTests.SignInAsync(context, Server, lang == "ru" ? "Обзор" : "Dashboard");
                foreach (var path in pages)
                {
                    await page.GotoAsync(path);
                    if (path == "/admin")
                    {
                        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-dashboard", "ready");
                    }

                    await CheckAsync(page, $"{lang}-{width}-{Name(path)}");
                }

                // The page a form answers with: a token just created, its secrets shown once.
                await page.GotoAsync("/admin/tokens");
                await OpenMenuOnPhoneAsync(page, width);
                await page.FillAsync("#token-name", $"layout {lang} {width}");
                await page.ClickAsync("#create-token");
                await Expect(page.Locator("#created-token")).ToBeVisibleAsync();
                await CheckAsync(page, $"{lang}-{width}-token-created");

                // A sign-in client just registered, its secret shown once; then the list with it.
                await page.GotoAsync("/admin/clients");
                await OpenMenuOnPhoneAsync(page, width);
                await page.FillAsync("#client-name", $"layout {lang} {width}");
                await page.FillAsync("#client-redirect-uris", $"https://shop-{lang}-{width}.example/signin-oidc");
                await page.ClickAsync("#create-client");
                await Expect(page.Locator("#new-client-secret")).ToBeVisibleAsync();
                await CheckAsync(page, $"{lang}-{width}-client-created");
                await page.GotoAsync("/admin/clients");
                await Expect(page.Locator("#clients-table")).ToContainTextAsync($"shop-{lang}-{width}.example");
                await CheckAsync(page, $"{lang}-{width}-clients");
            }
        }
    }

    [Fact]
    public async Task On_a_phone_the_navigation_is_a_menu()
    {
        await using var context = await NewContextAsync(390);
        var page = await ConsoleTests.SignInAsync(context, Server);
        await Expect(page.Locator("#console-nav")).ToBeHiddenAsync();
        await page.ClickAsync("#menu-toggle");
        await Expect(page.Locator("#console-nav")).ToBeVisibleAsync();
        await Expect(page.Locator("#menu-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
        await page.ClickAsync("#console-nav >> text=Trunks");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Trunks");

        // On a desktop the same navigation is always there, without a menu button.
        await using var desktop = await NewContextAsync(1280);
        var wide = await ConsoleTests.SignInAsync(desktop, Server);
        await Expect(wide.Locator("#console-nav")).ToBeVisibleAsync();
        await Expect(wide.Locator("#menu-toggle")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_trunks_page_lists_the_configured_trunks()
    {
        await using var context = await NewContextAsync(1280);
        var page = await ConsoleTests.SignInAsync(context, Server);
        await page.GotoAsync("/admin/trunks");
        var carrier = page.Locator("#trunks-table tr", new() { HasText = "carrier-main" });
        await Expect(carrier).ToContainTextAsync("192.0.2.0/24");
        await Expect(carrier).ToContainTextAsync("198.51.100.7/32");
        await Expect(carrier).ToContainTextAsync("not trusted");
        await Expect(carrier).ToContainTextAsync("To");
        var local = page.Locator("#trunks-table tr", new() { HasText = "loopback" });
        await Expect(local).ToContainTextAsync("127.0.0.0/8");
        await Expect(local).ToContainTextAsync("trusted");
        Assert.Equal(3, await page.Locator("#trunks-table tr").CountAsync());
    }

    [Fact]
    public async Task The_trunks_page_shows_each_registration_with_its_state()
    {
        await using var context = await NewContextAsync(1280);
        var page = await ConsoleTests.SignInAsync(context, Server);

        // The states are live: load the page until both registrations have had their first answer.
        var registered = page.Locator(
            "#registrations-table tr", new() { HasText = "provider-account-with-a-long-name" });
        var failing = page.Locator("#registrations-table tr", new() { HasText = "provider-unreachable" });
        var answered = await Wait.UntilAsync(async () =>
        {
            await page.GotoAsync("/admin/trunks");
            return (await registered.InnerTextAsync()).Contains("registered", StringComparison.Ordinal)
                && (await failing.InnerTextAsync()).Contains("failing", StringComparison.Ordinal);
        });
        Assert.True(answered, await page.Locator("#registrations-table").InnerTextAsync());

        await Expect(registered).ToContainTextAsync("+79645550001");
        var time = @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC";
        await Expect(registered.Locator("td").Nth(3)).ToContainTextAsync(new Regex($"registered\\s*until {time}"));
        await Expect(registered.Locator("td").Nth(4)).ToContainTextAsync(new Regex(time));
        await Expect(failing.Locator("td").Nth(3))
            .ToContainTextAsync(new Regex(@"failing\s*0 Connection refused\s*\(\D*1\D*\)"));
        await Expect(failing.Locator("td").Nth(4)).ToContainTextAsync(new Regex(time));
        Assert.Equal(3, await page.Locator("#registrations-table tr").CountAsync());

        await page.GotoAsync("/admin/trunks?lang=ru");
        await Expect(page.Locator("#registrations-table tr", new() { HasText = "provider-unreachable" }))
            .ToContainTextAsync("ошибка");
    }

    [Fact]
    public async Task Webhook_deliveries_show_url_and_attempts_and_offer_a_retry_only_where_it_makes_sense()
    {
        var delivered = await fixture.DeliveredDeliveryAsync();
        var delivery = await fixture.FailingDeliveryAsync();
        await using var context = await NewContextAsync(1280);
        var page = await ConsoleTests.SignInAsync(context, Server);
        await page.GotoAsync("/admin/webhooks");
        var row = page.Locator("#webhooks-table tr", new() { HasText = delivery });
        await Expect(row).ToContainTextAsync(ServerFixture.LongWebhookPath);
        await Expect(row).ToContainTextAsync("layout webhooks");
        await Expect(row.Locator("button", new() { HasText = "Retry now" })).ToBeVisibleAsync();

        var done = page.Locator("#webhooks-table tr", new() { HasText = delivered });
        await Expect(done).ToContainTextAsync("delivered");
        await Expect(done.Locator("button")).ToHaveCountAsync(0);
        await page.GotoAsync("/admin/webhooks/" + delivered);
        await Expect(page.Locator("#attempts-table tbody tr").First).ToContainTextAsync("200");
        await Expect(page.Locator("button", new() { HasText = "Retry now" })).ToHaveCountAsync(0);

        await page.GotoAsync("/admin/webhooks");
        await row.Locator("a[href*='" + delivery + "']").ClickAsync();
        await Expect(page.Locator("#delivery-url")).ToContainTextAsync(ServerFixture.LongWebhookPath);
        var attempt = page.Locator("#attempts-table tbody tr").First;
        await Expect(attempt).ToContainTextAsync("no answer");
        await Expect(attempt).ToContainTextAsync(new Regex(@"\d+\.\d ms"));
        await Expect(attempt.Locator("td").Last).Not.ToBeEmptyAsync();

        await page.ClickAsync("button:has-text('Retry now')");
        await Expect(page.Locator(".notice")).ToContainTextAsync("Delivery scheduled again");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/webhooks/" + Regex.Escape(delivery)));
    }

    [Fact]
    public async Task The_dashboard_counts_refusals_per_token()
    {
        // No free request and no credit: 402. One phone asked by three apps on a pool of two numbers (an app's
        // second request would supersede its first): the third is 503.
        var (broke, _, _) = await Server.CreateTokenAsync("layout broke", new { free_requests = 0, balance_limit = 0 });
        using var client = Server.CreateClient();
        Assert.Equal(402, (await client.GetJsonAsync(
            $"api/v1/authcalls/{broke}/reverse_auth_phone_get?phone=89001117710")).Status);
        var answers = new List<int>();
        foreach (var name in new[] { "layout busy 1", "layout busy 2", "layout busy 3" })
        {
            var (busy, _, _) = await Server.CreateTokenAsync(name);
            answers.Add((await client.GetJsonAsync(
                $"api/v1/authcalls/{busy}/reverse_auth_phone_get?phone=89001117711")).Status);
        }

        Assert.Equal([200, 200, 503], answers);

        await using var context = await NewContextAsync(1280);
        var page = await ConsoleTests.SignInAsync(context, Server);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-dashboard", "ready");
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        Assert.True(int.Parse((await page.Locator("#stat-402").TextContentAsync())!, invariant) >= 1);
        Assert.True(int.Parse((await page.Locator("#stat-503").TextContentAsync())!, invariant) >= 1);
        var served = page.Locator("#tokens-activity tr", new() { HasText = "layout busy 1" });
        await Expect(served.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await Expect(served.Locator("td").Last).ToHaveTextAsync("0");
        var refused = page.Locator("#tokens-activity tr", new() { HasText = "layout busy 3" });
        await Expect(refused.Locator("td").Nth(1)).ToHaveTextAsync("0");
        await Expect(refused.Locator("td").Last).ToHaveTextAsync("1");
        await Expect(page.Locator("#tokens-activity tr", new() { HasText = "layout broke" }).Locator("td").Nth(5))
            .ToHaveTextAsync("1");
    }

    private static string Name(string path) =>
        path == "/admin"
            ? "dashboard"
            : path["/admin/".Length..].Split('/')[0] + (path.Count(c => c == '/') > 2 ? "-detail" : "");

    private static async Task OpenMenuOnPhoneAsync(IPage page, int width)
    {
        if (width < 700)
        {
            await page.ClickAsync("#menu-toggle");
            await Expect(page.Locator("#console-nav")).ToBeVisibleAsync();
        }
    }

    private Task<IBrowserContext> NewContextAsync(int width) =>
        browser.NewContextAsync(
            Server.BaseUrl,
            new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });

    private async Task CheckAsync(IPage page, string name)
    {
        // Screenshot first: when the check fails, the picture shows why.
        await page.TakeAsync(output, "layout-" + name);
        await page.AssertLaidOutAsync(name);
        Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());
    }

    public sealed class ServerFixture : IAsyncLifetime
    {
        public const string LongWebhookPath = "/hooks/backcall/confirmations/a-rather-long-path-with-a-query";
        private string? _delivery;
        private string? _delivered;

        private readonly Backcall.Server.Tests.Sip.ProviderAccount _account = new();
        private Backcall.Testing.KamailioInstance? _registrar;

        public BackcallProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            // Two registrations: one with a real registrar (registered), one whose registrar refuses the connection.
            _registrar = await Backcall.Server.Tests.Sip.ProviderAccount.StartRegistrarAsync();
            var closedPort = Backcall.Testing.ExternalProcess.FreeTcpPort();
            var registrations = _account.Settings($"127.0.0.1:{_registrar.Port}", "udp");
            registrations.Remove("BACKCALL_Sip__UntrustedPolicy");
            registrations["BACKCALL_Sip__Registrations__0__Name"] = "provider-account-with-a-long-name";
            registrations["BACKCALL_Sip__Registrations__1__Name"] = "provider-unreachable";
            registrations["BACKCALL_Sip__Registrations__1__Registrar"] = $"sip:127.0.0.1:{closedPort};transport=tcp";
            registrations["BACKCALL_Sip__Registrations__1__Username"] = "700200";
            registrations["BACKCALL_Sip__Registrations__1__Password"] = "unused";
            registrations["BACKCALL_Sip__Registrations__1__Number"] = "+79645550002";
            registrations["BACKCALL_Sip__Registrations__1__RetryInterval"] = "01:00:00";
            Server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>(registrations)
            {
                // Webhooks to a loopback port where nothing listens: attempts fail at once and are retried.
                ["BACKCALL_Webhooks__AllowedNetworks__0"] = "127.0.0.0/8",
                ["BACKCALL_Webhooks__PollInterval"] = "00:00:00.200",
                ["BACKCALL_Sip__Trunks__0__Name"] = "carrier-main",
                ["BACKCALL_Sip__Trunks__0__Sources__0"] = "192.0.2.0/24",
                ["BACKCALL_Sip__Trunks__0__Sources__1"] = "198.51.100.7",
                ["BACKCALL_Sip__Trunks__0__TrustPai"] = "false",
                ["BACKCALL_Sip__Trunks__0__CalledFrom"] = "To",
                ["BACKCALL_Sip__Trunks__1__Name"] = "loopback",
                ["BACKCALL_Sip__Trunks__1__Sources__0"] = "127.0.0.0/8",
                ["BACKCALL_Sip__Trunks__1__Sources__1"] = "::1",
            });

            // Activity with long values: a long token name, phones, every outcome of a call.
            await Server.AddNumbersAsync("+79640000201", "+79640000202");
            var (token, _, _) = await Server.CreateTokenAsync(
                "layout: a token with a rather long descriptive name for the mobile app");
            using var client = Server.CreateClient();
            var created = await client.GetJsonAsync(
                $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001117701");
            var number = "+" + created.Body["data"]!["auth_phone"]!.GetValue<string>();
            await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001117702");
            await Server.ReportCallAsync(
                "+79001117701", number, "layout-call-" + Guid.NewGuid().ToString("N") + "@pbx.example.invalid");
            await Server.ReportCallAsync("+79001117799", "+79640000202");
        }

        /// <summary>A delivery answered 200 by a receiver on loopback.</summary>
        public async Task<string> DeliveredDeliveryAsync()
        {
            if (_delivered is not null)
            {
                return _delivered;
            }

            await using var receiver = Backcall.Server.Tests.Webhooks.WebhookReceiver.Start();
            var (token, _, _) = await Server.CreateTokenAsync("layout delivered");
            var body = await CreateWithWebhookAsync(token, "89001117704", receiver.Url("/ok"));
            await receiver.WaitForAsync(_ => true);
            var id = body["data"]!["id"]!.GetValue<long>();
            return _delivered = await WaitForDeliveryAsync(
                $"status=delivered&authorizationId={id}", _ => true, "delivered");
        }

        /// <summary>
        /// A delivery that has failed at least once (nothing listens at its port) and waits to be retried.
        /// </summary>
        public async Task<string> FailingDeliveryAsync()
        {
            if (_delivery is not null)
            {
                return _delivery;
            }

            var (token, _, _) = await Server.CreateTokenAsync("layout webhooks");
            var url = $"http://127.0.0.1:{ClosedPort()}{LongWebhookPath}"
                + "?account=1234567890&signature=abcdefabcdefabcdef";
            await CreateWithWebhookAsync(token, "89001117703", url);
            return _delivery = await WaitForDeliveryAsync(
                "status=pending", d => d["attempts"]!.GetValue<int>() > 0, "failed once");
        }

        /// <summary>
        /// The id of the first delivery the admin API lists (with <paramref name="query"/>) that
        /// <paramref name="matches"/>.
        /// </summary>
        private async Task<string> WaitForDeliveryAsync(
            string query, Func<System.Text.Json.Nodes.JsonNode, bool> matches, string what)
        {
            using var admin = Server.CreateAdminClient();
            System.Text.Json.Nodes.JsonNode? found = null;
            Assert.True(
                await Wait.UntilAsync(async () =>
                {
                    var (_, list, _) = await admin.GetJsonAsync("api/admin/webhooks?" + query);
                    found = list.AsArray().FirstOrDefault(d => matches(d!));
                    return found is not null;
                }),
                $"no delivery {what} within 30 s");
            return found!["id"]!.GetValue<string>();
        }

        public async Task DisposeAsync()
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }

            if (_registrar is not null)
            {
                await _registrar.DisposeAsync();
            }

            _account.Dispose();
        }

        /// <summary>
        /// An authorization with a webhook, confirmed at once by a PBX call; returns the API's answer.
        /// </summary>
        private async Task<System.Text.Json.Nodes.JsonNode> CreateWithWebhookAsync(
            string token, string phone, string webhook)
        {
            using var client = Server.CreateClient();
            using var response = await client.PostAsync(
                $"api/v1/authcalls/{token}/reverse_auth_phone_post",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["phone"] = phone, ["webhook"] = webhook }));
            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
            await Server.ReportCallAsync("+7" + phone[1..], "+" + body["data"]!["auth_phone"]!.GetValue<string>());
            return body;
        }

        private static int ClosedPort()
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
