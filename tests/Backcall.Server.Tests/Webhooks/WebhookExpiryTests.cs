using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Backcall.Testing;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>Expiry notices (<c>success=False</c>): sent only when the request or the token asked for them.</summary>
public sealed class WebhookExpiryTests
{
    [Fact]
    public async Task Expiry_notices_go_out_only_when_asked_for_by_the_request_or_the_token()
    {
        await using var receiver = WebhookReceiver.Start();
        await using var s = await WebhookScenario.StartAsync(
            new Dictionary<string, string> { ["BACKCALL_Authorizations__Lifetime"] = "00:00:05" });

        var created = await s.Server.RunCliAsync("token", "create", "--name", "notify", "--notify-expired", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var notifyToken = JsonNode.Parse(created.Stdout)!;
        var notifySecret = notifyToken["webhook_secret"]!.GetValue<string>();

        // Created first, so it has expired (or not notified) by the time the others' notices arrive.
        var silent = await s.CreateAsync(receiver.Url("/silent"));
        var byRequest = await s.CreateAsync(receiver.Url("/by-request"), notifyExpired: true);
        var byToken = await CreateWithTokenAsync(
            s, notifyToken["token"]!.GetValue<string>(), receiver.Url("/by-token"));

        var request = await receiver.WaitForAsync(
            r => r.Target.StartsWith("/by-request", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Equal($"/by-request?success=False&phone=&id={byRequest.Id}", request.Target);
        IndependentVerifier.AssertSigned(request, s.Secret);

        var tokenRequest = await receiver.WaitForAsync(
            r => r.Target.StartsWith("/by-token", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Equal($"/by-token?success=False&phone=&id={byToken}", tokenRequest.Target);
        IndependentVerifier.AssertSigned(tokenRequest, notifySecret);

        using var client = s.Server.CreateClient();
        var check = JsonNode.Parse(
            await client.GetStringAsync($"api/v1/authcalls/{s.Token}/reverse_auth_phone_check/{silent.Id}"))!;
        Assert.Equal("expired", check["data"]!["status"]!.GetValue<string>());
        Assert.Empty(await s.DeliveriesAsync(silent.Id));
        Assert.DoesNotContain(receiver.Received, r => r.Target.StartsWith("/silent", StringComparison.Ordinal));
    }

    private static async Task<long> CreateWithTokenAsync(WebhookScenario s, string token, string webhook)
    {
        using var client = s.Server.CreateClient();

        // The CLI's token reaches the server's catalog within its refresh interval.
        JsonNode body = new JsonObject();
        var created = await Wait.UntilAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync(
                $"api/v1/authcalls/{token}/reverse_auth_phone_post", new { phone = "89009999999", webhook });
            body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            // 401 until this node's catalog poll sees the token: wait for that, up to 30 s.
            Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode == 401, body.ToJsonString());
            return response.IsSuccessStatusCode;
        });
        Assert.True(created, body.ToJsonString());
        return body["data"]!["id"]!.GetValue<long>();
    }
}
