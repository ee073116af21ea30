namespace Backcall.Server.Tests.Webhooks;

/// <summary>
/// An operator's retry is sent by the running server at once, whichever surface asked: the admin API in
/// the server's process, or the CLI writing the database from another process.
/// </summary>
public sealed class WebhookRetryTests
{
    [Fact]
    public async Task Retries_from_the_admin_api_and_the_cli_are_sent_at_once_not_at_the_next_poll()
    {
        await using var receiver = WebhookReceiver.Start();
        var gone = true;
        receiver.Reply = _ => Volatile.Read(ref gone) ? new ReceiverReply(410) : ReceiverReply.Ok;

        // The outbox is polled once a minute: only a wake-up can send a retry within the wait below.
        await using var s = await WebhookScenario.StartAsync(
            new Dictionary<string, string> { ["BACKCALL_Webhooks__PollInterval"] = "00:01:00" });
        var (viaAdmin, auth1, user1) = await s.CreateAsync(receiver.Url("/admin"));
        var (viaCli, auth2, user2) = await s.CreateAsync(receiver.Url("/cli"));
        await s.ConfirmAsync(user1, auth1);
        await s.ConfirmAsync(user2, auth2);
        var adminDelivery = (await s.WaitForDeliveryAsync(viaAdmin, "failed"))["id"]!.GetValue<string>();
        var cliDelivery = (await s.WaitForDeliveryAsync(viaCli, "failed"))["id"]!.GetValue<string>();
        Volatile.Write(ref gone, false);

        using var admin = s.Server.CreateAdminClient();
        using var retried = await admin.PostAsync($"api/admin/webhooks/{adminDelivery}/retry", null);
        Assert.True(retried.IsSuccessStatusCode, await retried.Content.ReadAsStringAsync());
        await s.WaitForDeliveryAsync(viaAdmin, "delivered", TimeSpan.FromSeconds(30));

        var cli = await s.Server.RunCliAsync("webhook", "retry", cliDelivery);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        await s.WaitForDeliveryAsync(viaCli, "delivered", TimeSpan.FromSeconds(30));
        await s.Server.AssertOutputAsync("queued for another attempt by the operator");
    }
}
