using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>Answers that are not a success: redirects, 410 Gone, and what the operator sees and can do.</summary>
public sealed class WebhookFailureTests
{
    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        await using var elsewhere = WebhookReceiver.Start();
        await using var receiver = WebhookReceiver.Start();
        receiver.Reply = _ => new ReceiverReply(
            302, Headers: new Dictionary<string, string> { ["Location"] = elsewhere.Url("/stolen") });
        await using var s = await WebhookScenario.StartAsync();
        var (id, auth, user) = await s.CreateAsync(receiver.Url());
        await s.ConfirmAsync(user, auth);

        await receiver.WaitForAsync(r => r.Index >= 2, what: "a retry after the redirect");
        var deliveries = await s.DeliveriesAsync(id);
        var delivery = Assert.Single(deliveries)!;
        Assert.Equal("pending", delivery["status"]!.GetValue<string>());
        var attempts = await s.AttemptsAsync(delivery["id"]!.GetValue<string>());
        Assert.Equal(302, attempts[0]!["http_status"]!.GetValue<int>());
        Assert.Contains(
            "redirects are not followed", attempts[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(elsewhere.Received);
    }

    [Fact]
    public async Task A_410_stops_the_delivery_which_shows_as_failed_and_can_be_retried_from_the_cli()
    {
        await using var receiver = WebhookReceiver.Start();
        var gone = true;
        receiver.Reply = _ => Volatile.Read(ref gone) ? new ReceiverReply(410) : ReceiverReply.Ok;
        await using var s = await WebhookScenario.StartAsync();
        var (id, auth, user) = await s.CreateAsync(receiver.Url());
        await s.ConfirmAsync(user, auth);

        var failed = await s.WaitForDeliveryAsync(id, "failed");
        var deliveryId = failed["id"]!.GetValue<string>();
        Assert.Equal(1, failed["attempts"]!.GetValue<int>());
        Assert.Contains("410", failed["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(receiver.Received);

        var list = await s.Server.RunCliAsync("webhook", "list", "--status", "failed");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(deliveryId, list.Stdout, StringComparison.Ordinal);
        var json = await s.Server.RunCliAsync("webhook", "list", "--status", "failed", "--json");
        Assert.Contains($"\"id\":\"{deliveryId}\"", json.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"failed\"", json.Stdout, StringComparison.Ordinal);
        var show = await s.Server.RunCliAsync("webhook", "show", deliveryId);
        Assert.Contains("410", show.Stdout, StringComparison.Ordinal);

        Volatile.Write(ref gone, false);
        var retry = await s.Server.RunCliAsync("webhook", "retry", deliveryId);
        Assert.Equal(0, retry.ExitCode);
        await s.WaitForDeliveryAsync(id, "delivered");
        var second = await receiver.WaitForAsync(r => r.Index == 2);
        Assert.Equal(deliveryId, second.Header("webhook-id"));

        var missing = await s.Server.RunCliAsync("webhook", "retry", "msg_nope");
        Assert.NotEqual(0, missing.ExitCode);
    }

    [Fact]
    public async Task After_the_retry_period_a_delivery_is_marked_failed()
    {
        await using var receiver = WebhookReceiver.Start();
        receiver.Reply = _ => new ReceiverReply(500);
        await using var s = await WebhookScenario.StartAsync(
            new Dictionary<string, string> { ["BACKCALL_Webhooks__RetryFor"] = "00:00:02" });
        var (id, auth, user) = await s.CreateAsync(receiver.Url());
        await s.ConfirmAsync(user, auth);

        var failed = await s.WaitForDeliveryAsync(id, "failed");

        // How many attempts fit in two seconds depends on the machine (a busy one may make its first only after
        // them); the schedule itself is WebhookRetryPolicyTests', on a fake clock. Here: it failed, and says why.
        Assert.True(failed["attempts"]!.GetValue<int>() >= 1);
        Assert.Contains("gave up after", failed["last_error"]!.GetValue<string>(), StringComparison.Ordinal);

        using var admin = s.Server.CreateAdminClient();
        var failedList = await admin.GetStringAsync("api/admin/webhooks?status=failed");
        Assert.Contains(failed["id"]!.GetValue<string>(), failedList, StringComparison.Ordinal);
    }
}
