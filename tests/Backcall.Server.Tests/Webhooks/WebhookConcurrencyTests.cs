using System.Net;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>Bounded concurrency per host: a receiver that never answers holds only its own host's slots.</summary>
public sealed class WebhookConcurrencyTests
{
    [Fact]
    public async Task A_dead_receiver_holds_only_its_own_hosts_slots_and_does_not_delay_others()
    {
        await using var slow = WebhookReceiver.Start(IPAddress.Parse("127.0.0.2"));
        slow.Reply = _ => ReceiverReply.NoAnswer;
        await using var fast = WebhookReceiver.Start(IPAddress.Loopback);
        await using var s = await WebhookScenario.StartAsync(new Dictionary<string, string>
        {
            ["BACKCALL_Webhooks__Timeout"] = "00:01:00",
            ["BACKCALL_Webhooks__MaxConcurrency"] = "3",
            ["BACKCALL_Webhooks__MaxConcurrencyPerHost"] = "2",
        });

        for (var i = 0; i < 4; i++)
        {
            var (_, auth, user) = await s.CreateAsync(slow.Url($"/slow{i}"));
            await s.ConfirmAsync(user, auth);
        }

        await slow.WaitForAsync(r => r.Index == 2, what: "two requests to the slow host");

        var (id, fastAuth, fastUser) = await s.CreateAsync(fast.Url("/fast"));
        await s.ConfirmAsync(fastUser, fastAuth);

        // Well inside the slow host's one-minute timeout: nothing waited for it.
        await fast.WaitForAsync(_ => true, TimeSpan.FromSeconds(20));
        await s.WaitForDeliveryAsync(id, "delivered", TimeSpan.FromSeconds(20));

        // The other two slow deliveries wait for their host's slots, not a third connection.
        Assert.Equal(2, slow.Received.Count);
    }
}
