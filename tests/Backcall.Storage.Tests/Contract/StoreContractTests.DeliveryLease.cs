using Backcall.Core.Storage;
using Backcall.Core.Webhooks;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_confirmations_webhook_queued_with_a_lease_is_returned_as_stored_and_claimed_until_it_ends()
    {
        await Store.AddNumberAsync(N1, T0);
        var a = await CreateAsync(await TokenAsync(), N1, P1, webhook: "https://example.com/hook");
        var at = T0.AddSeconds(20);
        var lease = new DeliveryLease("node-a", at.AddSeconds(40));

        var result = await Store.RecordCallAsync(MatchedWithLease(a, at, lease));

        // The sender is handed the row exactly as any node would read it back.
        var stored = Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal(stored, result.Delivery);

        // Born claimed: no node takes it while the lease runs, the one that queued it included...
        var other = AnotherNode();
        Assert.Empty(await other.ClaimDueDeliveriesAsync("node-b", at.AddSeconds(39), at.AddSeconds(69), 10));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("node-a", at.AddSeconds(39), at.AddSeconds(69), 10));

        // ...its node can hand it back at once, and then anyone takes it.
        Assert.Equal(1, await Store.ReleaseDeliveryClaimsAsync("node-a", [stored.Id]));
        var taken = Assert.Single(
            await other.ClaimDueDeliveriesAsync("node-b", at.AddSeconds(1), at.AddSeconds(31), 10));
        Assert.Equal(stored.Id, taken.Id);
    }

    [Fact]
    public async Task A_leased_delivery_whose_node_died_is_due_for_another_node_when_the_lease_ends()
    {
        await Store.AddNumberAsync(N1, T0);
        var a = await CreateAsync(await TokenAsync(), N1, P1, webhook: "https://example.com/hook");
        var at = T0.AddSeconds(20);
        var lease = new DeliveryLease("node-a", at.AddSeconds(40));
        var queued = (await Store.RecordCallAsync(MatchedWithLease(a, at, lease))).Delivery!;

        var taken = Assert.Single(
            await AnotherNode().ClaimDueDeliveriesAsync("node-b", at.AddSeconds(40), at.AddSeconds(70), 10));
        Assert.Equal(queued.Id, taken.Id);
    }

    [Fact]
    public async Task A_confirmations_webhook_queued_without_a_lease_is_due_for_any_node_at_once()
    {
        await Store.AddNumberAsync(N1, T0);
        var a = await CreateAsync(await TokenAsync(), N1, P1, webhook: "https://example.com/hook");
        var at = T0.AddSeconds(20);

        var queued = (await Store.RecordCallAsync(Matched(a, at, "call-1"))).Delivery!;

        var taken = Assert.Single(await AnotherNode().ClaimDueDeliveriesAsync("node-b", at, at.AddSeconds(30), 10));
        Assert.Equal(queued.Id, taken.Id);
        Assert.Null((await Store.RecordCallAsync(Matched(a, at, "call-1"))).Delivery);
    }
}
