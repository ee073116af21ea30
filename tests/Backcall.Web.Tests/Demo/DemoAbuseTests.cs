using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Web.Tests.Infrastructure;

namespace Backcall.Web.Tests.Demo;

/// <summary>
/// The demo endpoints as an attacker uses them, over plain HTTP against the real server: "simulate" on an id
/// that is no longer pending, ids of another visitor, reading phones, flooding. Each HttpClient is one
/// visitor (its own cookie jar).
/// </summary>
public sealed class DemoAbuseTests(DemoServerFixture demo) : IClassFixture<DemoServerFixture>
{
    [Fact]
    public async Task Simulate_on_an_expired_demo_id_does_not_confirm_another_apps_authorization_of_the_same_pair()
    {
        await using var server = await WebServers.StartDevelopmentAsync(
            new Dictionary<string, string> { ["BACKCALL_Authorizations__Lifetime"] = "00:00:05" });
        using var visitor = server.CreateClient();
        const string phone = "89001113311";
        var started = await StartAsync(visitor, phone);
        var id = started["id"]!.GetValue<long>();
        await WaitForStatusAsync(visitor, id, "expired");

        // Another app's user verifies the same phone and gets the same number (the pool has one).
        var (token, _, _) = await server.CreateTokenAsync("other-app");
        using var app = server.CreateClient();
        var (_, created, _) = await app.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={phone}");
        Assert.Equal(started["auth_phone"]!.GetValue<string>(), created["data"]!["auth_phone"]!.GetValue<string>());
        var appId = created["data"]!["id"]!.GetValue<long>();

        using var simulate = await visitor.PostAsJsonAsync($"demo/api/simulate/{id}", new { from = "user" });

        var (_, check, _) = await app.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{appId}");
        Assert.Equal("pending", check["data"]!["status"]!.GetValue<string>());
        Assert.Equal(409, (int)simulate.StatusCode);
        using var admin = server.CreateAdminClient();
        Assert.Empty((await admin.GetJsonAsync("api/admin/calls?phone=%2B79001113311")).Body.AsArray());
    }

    [Fact]
    public async Task Another_visitor_can_neither_check_nor_watch_nor_simulate_a_demo_id()
    {
        using var owner = demo.Server.CreateClient();
        using var stranger = demo.Server.CreateClient();
        var id = (await StartAsync(owner, "89001113312"))["id"]!.GetValue<long>();

        Assert.Equal(404, (await stranger.GetJsonAsync($"demo/api/check/{id}")).Status);
        using (var watch = await stranger.GetAsync($"demo/api/status/{id}", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Contains("event: gone", await watch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var simulate = await stranger.PostAsJsonAsync($"demo/api/simulate/{id}", new { from = "user" }))
        {
            Assert.Equal(404, (int)simulate.StatusCode);
        }

        var (status, check, _) = await owner.GetJsonAsync($"demo/api/check/{id}");
        Assert.Equal((200, "pending"), (status, check["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_check_masks_the_confirmed_phone()
    {
        using var visitor = demo.Server.CreateClient();
        var id = (await StartAsync(visitor, "89001113313"))["id"]!.GetValue<long>();
        using (var simulate = await visitor.PostAsJsonAsync($"demo/api/simulate/{id}", new { from = "user" }))
        {
            Assert.True(simulate.IsSuccessStatusCode, await simulate.Content.ReadAsStringAsync());
        }

        var check = await WaitForStatusAsync(visitor, id, "ok");
        var shown = check["phone"]!.GetValue<string>();
        Assert.Contains("*", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("111", shown, StringComparison.Ordinal);
        Assert.EndsWith("3313", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_endpoints_are_rate_limited_per_client_address()
    {
        await using var server = await WebServers.StartDevelopmentAsync(
            new Dictionary<string, string> { ["BACKCALL_Demo__RequestsPerMinute"] = "3" });
        using var visitor = server.CreateClient();
        var answers = new List<HttpResponseMessage>();
        try
        {
            // Three a minute: among ten requests in a row at least one is refused, however slow the machine.
            for (var i = 0; i < 10; i++)
            {
                answers.Add(await visitor.GetAsync("demo/api/check/1"));
            }

            var refused = answers.FirstOrDefault(a => (int)a.StatusCode == 429);
            Assert.True(refused is not null, "no 429 in: " + string.Join(", ", answers.Select(a => (int)a.StatusCode)));
            Assert.True(refused!.Headers.RetryAfter is not null, "429 without Retry-After");
            var refusal = JsonNode.Parse(await refused!.Content.ReadAsStringAsync())!;
            Assert.Equal("rate_limited", refusal["code"]!.GetValue<string>());
        }
        finally
        {
            answers.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public async Task Demo_mode_outside_development_refuses_to_start_unless_allowed_and_then_warns()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => BackcallProcess.StartAsync(environment: new Dictionary<string, string>
            {
                ["BACKCALL_Demo__Enabled"] = "true",
            }));
        Assert.Contains("Demo:AllowInProduction", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Message, StringComparison.Ordinal);

        await using var allowed = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["BACKCALL_Demo__Enabled"] = "true",
            ["BACKCALL_Demo__AllowInProduction"] = "true",
        });
        await allowed.AssertOutputAsync("Demo:AllowInProduction");
    }

    private static async Task<JsonNode> StartAsync(HttpClient visitor, string phone)
    {
        using var response = await visitor.PostAsJsonAsync("demo/api/start", new { phone });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }

    /// <summary>
    /// Polls the demo's check until it says <paramref name="status"/>; the bound is generous, not a timing claim.
    /// </summary>
    private static async Task<JsonNode> WaitForStatusAsync(HttpClient visitor, long id, string status)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var (code, body, _) = await visitor.GetJsonAsync($"demo/api/check/{id}");
            Assert.Equal(200, code);
            if (body["status"]!.GetValue<string>() == status || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Equal(status, body["status"]!.GetValue<string>());
                return body;
            }

            await Task.Delay(250);
        }
    }
}
