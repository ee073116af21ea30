using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>
/// A real server set up for webhook tests: loopback allowlisted, retries in fractions of a second, a pool and a token.
/// </summary>
public sealed class WebhookScenario : IAsyncDisposable
{
    private static readonly string[] Numbers =
        ["+79640000001", "+79640000002", "+79640000003", "+79640000004", "+79640000005", "+79640000006"];
    private int _phone;

    private WebhookScenario(BackcallProcess server, string token, long tokenId, string secret)
    {
        Server = server;
        Token = token;
        TokenId = tokenId;
        Secret = secret;
    }

    public BackcallProcess Server { get; }

    public string Token { get; }

    public long TokenId { get; }

    public string Secret { get; }

    /// <summary>Test settings: each can be overridden through <paramref name="environment"/>.</summary>
    public static async Task<WebhookScenario> StartAsync(
        IDictionary<string, string>? environment = null, bool allowLoopback = true)
    {
        var env = new Dictionary<string, string>
        {
            ["BACKCALL_Webhooks__FirstRetryDelay"] = "00:00:00.200",
            ["BACKCALL_Webhooks__MaxRetryDelay"] = "00:00:01",
            ["BACKCALL_Webhooks__Timeout"] = "00:00:03",
            ["BACKCALL_Webhooks__PollInterval"] = "00:00:00.200",
            ["BACKCALL_Webhooks__Jitter"] = "0",
        };
        if (allowLoopback)
        {
            env["BACKCALL_Webhooks__AllowedNetworks__0"] = "127.0.0.0/8";
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }

        var server = await BackcallProcess.StartAsync(environment: env);
        await server.AddNumbersAsync(Numbers);
        var (token, id, secret) = await server.CreateTokenAsync("webhooks");
        return new WebhookScenario(server, token, id, secret);
    }

    /// <summary>
    /// reverse_auth_phone_post with this webhook; returns the id, the number to call and the user's phone (+7…).
    /// </summary>
    public async Task<(long Id, string AuthPhone, string UserPhone)> CreateAsync(
        string webhook, bool notifyExpired = false)
    {
        var n = Interlocked.Increment(ref _phone);
        var national = $"8900{n:D7}";
        var (status, body) = await PostAsync(webhook, national, notifyExpired);
        Assert.True(status == 200, body.ToJsonString());
        return (
            body["data"]!["id"]!.GetValue<long>(),
            body["data"]!["auth_phone"]!.GetValue<string>(),
            "+7" + national[1..]);
    }

    public async Task<(int Status, JsonNode Body)> PostAsync(
        string webhook, string phone = "89001234567", bool notifyExpired = false)
    {
        using var client = Server.CreateClient();
        using var response = await client.PostAsJsonAsync(
            $"api/v1/authcalls/{Token}/reverse_auth_phone_post",
            notifyExpired ? new { phone, webhook, notify_expired = 1 } : (object)new { phone, webhook });
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The user calls: confirms through the PBX endpoint.</summary>
    public async Task ConfirmAsync(string userPhone, string authPhone)
    {
        var call = await Server.ReportCallAsync(userPhone, "+" + authPhone, "call-" + Guid.NewGuid().ToString("N"));
        Assert.Equal("matched", call["outcome"]!.GetValue<string>());
    }

    /// <summary>The admin API's deliveries of one authorization.</summary>
    public async Task<JsonArray> DeliveriesAsync(long authorizationId)
    {
        using var admin = Server.CreateAdminClient();
        var deliveries = await admin.GetStringAsync($"api/admin/webhooks?authorizationId={authorizationId}");
        return JsonNode.Parse(deliveries)!.AsArray();
    }

    public async Task<JsonArray> AttemptsAsync(string deliveryId)
    {
        using var admin = Server.CreateAdminClient();
        return JsonNode.Parse(await admin.GetStringAsync($"api/admin/webhooks/{deliveryId}/attempts"))!.AsArray();
    }

    /// <summary>Waits until the authorization's delivery reaches <paramref name="status"/>; returns it.</summary>
    public async Task<JsonNode> WaitForDeliveryAsync(long authorizationId, string status, TimeSpan? timeout = null)
    {
        JsonArray last = [];
        JsonNode? hit = null;
        var reached = await Wait.UntilAsync(
            async () =>
            {
                last = await DeliveriesAsync(authorizationId);
                hit = last.FirstOrDefault(d => d!["status"]!.GetValue<string>() == status);
                return hit is not null;
            },
            timeout);
        if (reached)
        {
            return hit!;
        }

        throw new TimeoutException($"delivery of {authorizationId} did not become {status}: {last.ToJsonString()}");
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
