namespace Backcall.Server.Tests.Webhooks;

/// <summary>
/// The outbox survives SIGKILL: deliveries due when the process dies go out after the restart, under the same id.
/// </summary>
public sealed class WebhookDurabilityTests
{
    [Fact]
    public async Task Deliveries_due_at_a_sigkill_are_sent_after_restart_with_the_same_webhook_id()
    {
        await using var receiver = WebhookReceiver.Start();
        var up = false;
        receiver.Reply = _ => Volatile.Read(ref up) ? ReceiverReply.Ok : new ReceiverReply(503, "starting");
        await using var s = await WebhookScenario.StartAsync();

        var first = await s.CreateAsync(receiver.Url("/a"));
        var second = await s.CreateAsync(receiver.Url("/b"));
        await s.ConfirmAsync(first.UserPhone, first.AuthPhone);
        await s.ConfirmAsync(second.UserPhone, second.AuthPhone);
        var idA = (await receiver.WaitForAsync(r => r.Target.StartsWith("/a?", StringComparison.Ordinal)))
            .Header("webhook-id");
        var idB = (await receiver.WaitForAsync(r => r.Target.StartsWith("/b?", StringComparison.Ordinal)))
            .Header("webhook-id");

        // No shutdown code runs: whatever was claimed or scheduled is only in the database now.
        await s.Server.KillAsync();
        var seenBeforeRestart = receiver.Received.Count;
        Volatile.Write(ref up, true);
        await s.Server.RestartAsync();

        await s.WaitForDeliveryAsync(first.Id, "delivered", TimeSpan.FromSeconds(90));
        await s.WaitForDeliveryAsync(second.Id, "delivered", TimeSpan.FromSeconds(90));
        var after = receiver.Received.Where(r => r.Index > seenBeforeRestart).ToList();
        Assert.Contains(
            after, r => r.Target.StartsWith("/a?", StringComparison.Ordinal) && r.Header("webhook-id") == idA);
        Assert.Contains(
            after, r => r.Target.StartsWith("/b?", StringComparison.Ordinal) && r.Header("webhook-id") == idB);
        Assert.All(receiver.Received, r => IndependentVerifier.AssertSigned(r, s.Secret));
    }
}
