using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Webhooks;

namespace Backcall.Server.Tests.Api;

/// <summary>A call is judged at the time it arrived, not at the time the server got round to writing it.</summary>
public sealed class LifetimeBoundaryTests
{
    [Fact]
    public async Task A_call_that_arrived_before_the_expiry_confirms_after_the_sweep_and_withdraws_the_notice()
    {
        await using var receiver = WebhookReceiver.Start();
        await using var s = await WebhookScenario.StartAsync(new Dictionary<string, string>
        {
            ["BACKCALL_Authorizations__Lifetime"] = "00:00:05",

            // Held back long enough that only the withdrawal, never the clock, decides whether it is sent.
            ["BACKCALL_Authorizations__ExpiryNoticeDelay"] = "00:10:00",
        });
        var (id, auth, user) = await s.CreateAsync(receiver.Url("/hook"), notifyExpired: true);

        // The PBX's request arrives before the expiry, but its body only after the sweep has expired the
        // authorization and queued its notice: as a call stuck behind a slow database would be written.
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The request is open until the sweep has run: longer than a test client's usual timeout on a busy machine.
        using var client = new HttpClient { BaseAddress = s.Server.BaseUrl, Timeout = TimeSpan.FromMinutes(3) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/pbx/calls")
        {
            Content = new HeldBody(
                $"{{\"caller\": \"{user}\", \"called\": \"+{auth}\", \"call_id\": \"boundary\"", "}", rest.Task),
        };
        request.Headers.Authorization = new("Bearer", s.Server.PbxKey);
        var sent = client.SendAsync(request);

        var notice = await s.WaitForDeliveryAsync(id, "pending", TimeSpan.FromSeconds(60));
        Assert.False(notice["success"]!.GetValue<bool>());
        rest.SetResult();

        using var response = await sent;
        var call = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, call.ToJsonString());
        Assert.Equal(
            ("matched", id), (call["outcome"]!.GetValue<string>(), call["authorization_id"]!.GetValue<long>()));

        // The app hears of the confirmation, and the expiry notice is gone for good.
        var confirmed = await receiver.WaitForAsync(
            r => r.Target.StartsWith("/hook?success=True", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains($"id={id}", confirmed.Target, StringComparison.Ordinal);
        var deliveries = await s.DeliveriesAsync(id);
        Assert.True(deliveries.Single()!["success"]!.GetValue<bool>(), deliveries.ToJsonString());
        var check = JsonNode.Parse(
            await client.GetStringAsync($"api/v1/authcalls/{s.Token}/reverse_auth_phone_check/{id}"))!;
        Assert.Equal("ok", check["data"]!["status"]!.GetValue<string>());
    }

    /// <summary>A request body sent in two parts: the second once <c>release</c> completes.</summary>
    private sealed class HeldBody : HttpContent
    {
        private readonly string _first;
        private readonly string _second;
        private readonly Task _release;

        public HeldBody(string first, string second, Task release)
        {
            (_first, _second, _release) = (first, second, release);
            Headers.ContentType = new("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(_first));
            await stream.FlushAsync();

            // Until released, JSON white space keeps the body moving: Kestrel cuts a request body slower than
            // 240 bytes/s (after a 5 s grace), and this one is held for longer than the lifetime.
            var padding = Encoding.UTF8.GetBytes(new string(' ', 64));
            while (!_release.IsCompleted)
            {
                await stream.WriteAsync(padding);
                await stream.FlushAsync();
                await Task.WhenAny(_release, Task.Delay(100));
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(_second));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
