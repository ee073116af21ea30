using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Server.Tests.Webhooks;

namespace Backcall.Server.Tests.Sip;

/// <summary>The SIP trunks of <see cref="SipServerFixture"/>, with webhooks to loopback allowed.</summary>
public sealed class IdentifyServerFixture : SipServerFixture
{
    protected override IDictionary<string, string> Environment
    {
        get
        {
            var env = base.Environment;
            env["BACKCALL_Webhooks__AllowedNetworks__0"] = "127.0.0.0/8";
            env["BACKCALL_Webhooks__PollInterval"] = "00:00:00.200";

            // One token fills the whole pool here, to see the 503 when no number is free (the share a token
            // may hold is Core's IdentifyModeTests').
            env["BACKCALL_Authorizations__IdentifyPoolShare"] = "100";
            return env;
        }
    }
}

/// <summary>
/// Identify mode through the real process: asked for without phone, the number is held whole (a pool of three
/// serves three such requests, and nothing else meanwhile), an anonymous call confirms nothing, and a real SIP
/// INVITE with a caller ID confirms it as that phone, in the check answer and the webhook alike.
/// </summary>
public sealed class IdentifyModeTests(IdentifyServerFixture fixture) : IClassFixture<IdentifyServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Fact]
    public async Task A_call_from_any_phone_confirms_an_authorization_asked_for_without_phone()
    {
        await using var receiver = WebhookReceiver.Start();
        using var client = Server.CreateClient();
        var (token, _, _) = await Server.CreateTokenAsync("identify");
        using var post = await client.PostAsJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_post", new { webhook = receiver.Url("/signed-in") });
        var created = JsonNode.Parse(await post.Content.ReadAsStringAsync())!;
        Assert.True(post.IsSuccessStatusCode, created.ToJsonString());
        var id = created["data"]!["id"]!.GetValue<long>();
        var number = created["data"]!["auth_phone"]!.GetValue<string>();

        // Other apps share the pool: two more requests without phone get the two other numbers, and then
        // nothing is free, for either mode, until one of them ends.
        var (other, _, _) = await Server.CreateTokenAsync("other app");
        var held = new List<string> { number };
        for (var i = 0; i < 2; i++)
        {
            var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/{other}/reverse_auth_phone_get");
            Assert.True(status == 200, body.ToJsonString());
            held.Add(body["data"]!["auth_phone"]!.GetValue<string>());
        }

        Assert.Equal(3, held.Distinct().Count());
        var (full, fullBody, fullResponse) = await client.GetJsonAsync(
            $"api/v1/authcalls/{other}/reverse_auth_phone_get");
        Assert.Equal(503, full);
        Assert.False(fullBody["success"]!.GetValue<bool>());
        Assert.NotNull(fullResponse.Headers.RetryAfter);
        var (normal, _, normalResponse) = await client.GetJsonAsync(
            $"api/v1/authcalls/{other}/reverse_auth_phone_get?phone={Verification.NewPhone()}");
        Assert.Equal(503, normal);
        Assert.NotNull(normalResponse.Headers.RetryAfter);

        // A hidden caller ID proves nothing.
        await SippRunner.RunOkAsync(
            "uac-reject.xml", fixture.Sipp(SipTransportKind.Udp, ("caller", "anonymous"), ("called", number)));
        Assert.Equal("pending", (await CheckAsync(client, token, id))["status"]!.GetValue<string>());

        var caller = Verification.NewPhone();
        var options = fixture.Sipp(SipTransportKind.Udp, ("caller", caller), ("called", number));
        await SippRunner.RunOkAsync("uac-reject.xml", options);

        var check = await CheckAsync(client, token, id);
        Assert.Equal(("ok", caller), (check["status"]!.GetValue<string>(), check["phone"]!.GetValue<string>()));
        var hook = await receiver.WaitForAsync(r => r.Target.StartsWith("/signed-in", StringComparison.Ordinal));
        Assert.Equal($"/signed-in?success=True&phone={caller}&id={id}", hook.Target);
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(caller)));
        Assert.Equal(
            (options.CallId(), "matched"),
            (row!["call_id"]!.GetValue<string>(), row["outcome"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("?phone=")]
    [InlineData("?phone=%20%20")]
    public async Task A_phone_sent_blank_is_still_bad_input_and_costs_nothing(string query)
    {
        var (token, _, _) = await Server.CreateTokenAsync("blank");
        using var client = Server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get{query}");
        Assert.Equal(400, status);
        Assert.Contains("phone", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var (_, balance, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/");
        Assert.Equal(50, balance["data"]!["free_requests_left"]!.GetValue<int>());
    }

    private static async Task<JsonNode> CheckAsync(HttpClient client, string token, long id)
    {
        var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
        Assert.True(status == 200, body.ToJsonString());
        return body["data"]!;
    }
}
