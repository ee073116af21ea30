using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;

namespace Backcall.Core.Tests.Calls;

/// <summary>
/// A confirmation's webhook goes to this node's sender without a claim: queued already claimed, handed over
/// once durable; and to the outbox's claims when the sender has no room or does not run.
/// </summary>
public sealed class DeliveryHandOffTests
{
    private const string Number = "+79640000001";
    private const string User = "+79001234567";

    [Fact]
    public async Task A_confirmations_webhook_is_queued_claimed_and_handed_over_once_durable()
    {
        await using var h = new CoreHarness();
        var a = await PendingAsync(h);
        var handOff = new RecordingHandOff(h, room: true);
        h.Calls.DeliveryHandOff = handOff;
        var queued = new List<WebhookDelivery>();
        h.Calls.DeliveryQueued += queued.Add;

        await h.CallAsync(User, Number, "call-1");

        var (delivery, lease, storedWhenTaken) = Assert.Single(handOff.Taken);
        Assert.Equal((a.Id, true, "89001234567"), (delivery.AuthorizationId, delivery.Success, delivery.Phone));
        Assert.Equal(("node-a", h.Time.GetUtcNow() + TimeSpan.FromSeconds(40)), (lease.Node, lease.Until));
        Assert.Equal(delivery, storedWhenTaken);
        Assert.Empty(queued);

        // Nobody claims it while the lease runs: sending it is this node's.
        Assert.Empty(await h.Store.ClaimDueDeliveriesAsync("node-b", h.Time.GetUtcNow(), lease.Until, 10));
    }

    [Fact]
    public async Task Without_room_the_webhook_waits_in_the_outbox_for_any_nodes_claim()
    {
        await using var h = new CoreHarness();
        await PendingAsync(h);
        var handOff = new RecordingHandOff(h, room: false);
        h.Calls.DeliveryHandOff = handOff;
        var queued = new List<WebhookDelivery>();
        h.Calls.DeliveryQueued += queued.Add;

        await h.CallAsync(User, Number, "call-1");

        Assert.Empty(handOff.Taken);
        var delivery = Assert.Single(queued);
        var claimed = Assert.Single(await h.Store.ClaimDueDeliveriesAsync(
            "node-b", h.Time.GetUtcNow(), h.Time.GetUtcNow().AddSeconds(30), 10));
        Assert.Equal(delivery.Id, claimed.Id);
    }

    [Fact]
    public async Task Without_a_sender_the_webhook_is_announced_as_queued()
    {
        await using var h = new CoreHarness();
        await PendingAsync(h);
        var queued = new List<WebhookDelivery>();
        h.Calls.DeliveryQueued += queued.Add;

        await h.CallAsync(User, Number, "call-1");

        Assert.Single(queued);
    }

    [Fact]
    public async Task A_repeated_call_hands_nothing_over_again()
    {
        await using var h = new CoreHarness();
        await PendingAsync(h);
        var handOff = new RecordingHandOff(h, room: true);
        h.Calls.DeliveryHandOff = handOff;

        await h.CallAsync(User, Number, "call-1");
        await h.CallAsync(User, Number, "call-1");
        await h.CallAsync(User, Number, "call-2");

        Assert.Single(handOff.Taken);
        Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
    }

    private static async Task<Authorization> PendingAsync(CoreHarness h)
    {
        await h.Numbers.AddAsync(Number);
        var created = await h.Authorizations.CreateAsync(
            await h.TokenAsync(), User, "https://app.example/hook", false, default);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        return created.Authorization!;
    }

    /// <summary>A sender that notes what it was handed and what the store held for it at that moment.</summary>
    private sealed class RecordingHandOff(CoreHarness h, bool room) : IDeliveryHandOff
    {
        public List<(WebhookDelivery Delivery, DeliveryLease Lease, WebhookDelivery? Stored)> Taken { get; } = [];

        public DeliveryLease? Lease(string url, DateTimeOffset now) =>
            room ? new DeliveryLease("node-a", now + TimeSpan.FromSeconds(40)) : null;

        public void Take(WebhookDelivery delivery, DeliveryLease lease)
        {
            var stored = h.Store.ListDeliveriesAsync(new DeliveryQuery(Id: delivery.Id)).GetAwaiter().GetResult();
            Taken.Add((delivery, lease, stored.SingleOrDefault()));
        }
    }
}
