using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Backcall.Testing;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>Confirmation webhooks from the real server to a real receiver on loopback.</summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task Confirmation_calls_the_webhook_with_the_exact_query_and_a_valid_signature()
    {
        await using var receiver = WebhookReceiver.Start();
        await using var s = await WebhookScenario.StartAsync();

        // The app's own query stays; a stale id of its own is replaced, so receivers read ours.
        var (id, auth, user) = await s.CreateAsync(receiver.Url("/hooks/backcall?app=1&x=a%20b&id=999"));
        await s.ConfirmAsync(user, auth);

        var request = await receiver.WaitForAsync(_ => true);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/hooks/backcall?app=1&x=a%20b&success=True&phone=8{user[2..]}&id={id}", request.Target);
        IndependentVerifier.AssertSigned(request, s.Secret);
        Assert.DoesNotContain(" ", request.Header("webhook-signature"), StringComparison.Ordinal);

        var delivery = await s.WaitForDeliveryAsync(id, "delivered");
        Assert.Equal(request.Header("webhook-id"), delivery["id"]!.GetValue<string>());
        var attempts = await s.AttemptsAsync(delivery["id"]!.GetValue<string>());
        Assert.Equal(200, Assert.Single(attempts)!["http_status"]!.GetValue<int>());
    }

    [Fact]
    public async Task During_a_secret_rotation_both_secrets_sign()
    {
        await using var receiver = WebhookReceiver.Start();
        await using var s = await WebhookScenario.StartAsync();
        using (var admin = s.Server.CreateAdminClient())
        {
            using var rotated = await admin.PostAsync($"api/admin/tokens/{s.TokenId}/rotate-webhook-secret", null);
            var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonNode>())!["webhook_secret"]!
                .GetValue<string>();

            var (_, auth, user) = await s.CreateAsync(receiver.Url());
            await s.ConfirmAsync(user, auth);
            var request = await receiver.WaitForAsync(_ => true);

            var signatures = request.Header("webhook-signature").Split(' ');
            Assert.Equal(2, signatures.Length);
            IndependentVerifier.AssertSigned(request, newSecret);
            IndependentVerifier.AssertSigned(request, s.Secret);
        }
    }

    [Fact]
    public async Task A_500_is_retried_with_the_same_webhook_id_until_a_200()
    {
        await using var receiver = WebhookReceiver.Start();
        receiver.Reply = r => r.Index == 1 ? new ReceiverReply(500, "database down") : ReceiverReply.Ok;
        await using var s = await WebhookScenario.StartAsync();
        var (id, auth, user) = await s.CreateAsync(receiver.Url());
        await s.ConfirmAsync(user, auth);

        var delivery = await s.WaitForDeliveryAsync(id, "delivered");
        var requests = receiver.Received.OrderBy(r => r.Index).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Header("webhook-id"), requests[1].Header("webhook-id"));
        Assert.All(requests, r => IndependentVerifier.AssertSigned(r, s.Secret));

        var attempts = await s.AttemptsAsync(delivery["id"]!.GetValue<string>());
        Assert.Equal(2, attempts.Count);
        Assert.Equal(500, attempts[0]!["http_status"]!.GetValue<int>());
        Assert.Contains("database down", attempts[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, attempts[1]!["http_status"]!.GetValue<int>());
        Assert.Equal(2, delivery["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_webhook_once_it_is_up()
    {
        var receiver = WebhookReceiver.Start();
        await using var _ = receiver;
        await receiver.StopAsync();
        await using var s = await WebhookScenario.StartAsync();
        var (id, auth, user) = await s.CreateAsync(receiver.Url());
        await s.ConfirmAsync(user, auth);

        // At least one attempt met a closed port before the receiver came up.
        var deliveryId = await WaitForFailedAttemptAsync(s, id);
        receiver.Restart();

        var request = await receiver.WaitForAsync(_ => true);
        Assert.Equal(deliveryId, request.Header("webhook-id"));
        await s.WaitForDeliveryAsync(id, "delivered");
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_times_out_and_gets_a_retry()
    {
        await using var receiver = WebhookReceiver.Start();
        receiver.Reply = r => r.Index == 1 ? ReceiverReply.NoAnswer : ReceiverReply.Ok;
        await using var s = await WebhookScenario.StartAsync(
            new Dictionary<string, string> { ["BACKCALL_Webhooks__Timeout"] = "00:00:01" });
        var (id, auth, user) = await s.CreateAsync(receiver.Url());
        await s.ConfirmAsync(user, auth);

        var delivery = await s.WaitForDeliveryAsync(id, "delivered");
        var attempts = await s.AttemptsAsync(delivery["id"]!.GetValue<string>());
        Assert.Contains("timed out", attempts[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(attempts[0]!["http_status"]);
    }

    internal static async Task<string> WaitForFailedAttemptAsync(WebhookScenario s, long authorizationId)
    {
        JsonNode? d = null;
        var attempted = await Wait.UntilAsync(async () =>
        {
            d = (await s.DeliveriesAsync(authorizationId)).FirstOrDefault();
            return d is not null && d["attempts"]!.GetValue<int>() > 0;
        });
        if (!attempted)
        {
            throw new TimeoutException("no failed attempt recorded");
        }

        Assert.Equal("pending", d!["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(d["last_error"]?.GetValue<string>()));
        return d["id"]!.GetValue<string>();
    }
}
