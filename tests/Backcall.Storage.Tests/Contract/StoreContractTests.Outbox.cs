using Backcall.Core.Storage;
using Backcall.Core.Webhooks;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Two_nodes_claiming_at_once_never_take_the_same_delivery()
    {
        await QueueDeliveriesAsync(40);
        var other = AnotherNode();
        var now = T0.AddMinutes(1);
        var claimed = new List<WebhookDelivery>[] { [], [] };

        // Small batches, many rounds: the claims interleave as two dispatchers' would.
        for (var round = 0; round < 10; round++)
        {
            var results = await RaceAsync(
                () => Store.ClaimDueDeliveriesAsync("node-a", now, now.AddSeconds(30), 3),
                () => other.ClaimDueDeliveriesAsync("node-b", now, now.AddSeconds(30), 3));
            claimed[0].AddRange(results[0]);
            claimed[1].AddRange(results[1]);
        }

        var ids = claimed[0].Concat(claimed[1]).Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(40, ids.Count);
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("node-a", now, now.AddSeconds(30), 100));
    }

    [Fact]
    public async Task A_claim_is_exclusive_until_its_lease_ends_then_another_node_takes_it()
    {
        var ids = await QueueDeliveriesAsync(1);
        var now = T0.AddMinutes(1);
        var first = Assert.Single(await Store.ClaimDueDeliveriesAsync("node-a", now, now.AddSeconds(30), 10));
        Assert.Equal(ids[0], first.Id);

        // node-a dies mid-delivery: nobody else may take it while its lease runs...
        var other = AnotherNode();
        Assert.Empty(await other.ClaimDueDeliveriesAsync("node-b", now.AddSeconds(29), now.AddSeconds(59), 10));

        // ...and once it ran out, node-b does.
        var taken = Assert.Single(
            await other.ClaimDueDeliveriesAsync("node-b", now.AddSeconds(30), now.AddSeconds(60), 10));
        Assert.Equal(first.Id, taken.Id);
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("node-a", now.AddSeconds(31), now.AddSeconds(61), 10));
    }

    [Fact]
    public async Task A_released_claim_is_due_again_at_once_for_any_node()
    {
        var ids = await QueueDeliveriesAsync(3);
        var now = T0.AddMinutes(1);
        Assert.Equal(3, (await Store.ClaimDueDeliveriesAsync("node-a", now, now.AddSeconds(45), 10)).Count);

        // Only node-a's own claims on pending deliveries are released: a stranger's release and a finished
        // delivery's are no-ops.
        var other = AnotherNode();
        Assert.Equal(0, await other.ReleaseDeliveryClaimsAsync("node-b", [ids[0]]));
        await Store.RecordDeliveryAttemptAsync(new DeliveryAttempt(
            ids[2], now, 200, null, TimeSpan.FromMilliseconds(2), WebhookDeliveryStatus.Delivered, null));
        Assert.Equal(2, await Store.ReleaseDeliveryClaimsAsync("node-a", [ids[0], ids[1], ids[2], "msg_none"]));
        Assert.Equal(0, await Store.ReleaseDeliveryClaimsAsync("node-a", []));

        // Long before the 45 s lease ends, and in their original order.
        var taken = await other.ClaimDueDeliveriesAsync("node-b", now.AddSeconds(1), now.AddSeconds(46), 10);
        Assert.Equal([ids[0], ids[1]], taken.Select(d => d.Id));
        Assert.Equal(
            WebhookDeliveryStatus.Delivered,
            (await Store.ListDeliveriesAsync(new DeliveryQuery())).Single(d => d.Id == ids[2]).Status);
    }

    [Fact]
    public async Task A_claim_leaves_out_the_hosts_it_is_told_to_skip()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync(free: 10);
        string[] urls =
        [
            "https://Busy.example.com/a",
            "https://other.example.com/b",
            "http://busy.example.com:8080/c?x=1",
            "https://third.example.com/d",
        ];
        for (var i = 0; i < urls.Length; i++)
        {
            var a = await CreateAsync(token, N1, new Core.Phones.E164Phone($"+790000{i:D5}"), webhook: urls[i]);
            await Store.RecordCallAsync(Matched(a, T0.AddMilliseconds(i + 1)));
        }

        var now = T0.AddMinutes(1);
        var claimed = await Store.ClaimDueDeliveriesAsync(
            "node-a", now, now.AddSeconds(45), 10, ["busy.example.com", "nowhere.example.com"]);
        Assert.Equal(["https://other.example.com/b", "https://third.example.com/d"], claimed.Select(d => d.Url));

        // Every port and spelling of the host counts as that host; with nothing skipped they are claimed.
        var rest = await Store.ClaimDueDeliveriesAsync("node-a", now, now.AddSeconds(45), 10, []);
        Assert.Equal([urls[0], urls[2]], rest.Select(d => d.Url));
    }

    [Fact]
    public async Task Attempts_are_recorded_and_move_the_delivery_on()
    {
        var ids = await QueueDeliveriesAsync(2);
        var now = T0.AddMinutes(1);
        var claimed = await Store.ClaimDueDeliveriesAsync("node-a", now, now.AddSeconds(30), 10);
        Assert.Equal(2, claimed.Count);

        // A failure with a retry time: pending again, due then, claimable then (the claim is released).
        await Store.RecordDeliveryAttemptAsync(new DeliveryAttempt(
            ids[0],
            now,
            503,
            "HTTP 503",
            TimeSpan.FromMilliseconds(12.5),
            WebhookDeliveryStatus.Pending,
            now.AddSeconds(10)));
        var retried = (await Store.ListDeliveriesAsync(new DeliveryQuery())).Single(d => d.Id == ids[0]);
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, now.AddSeconds(10), "HTTP 503", (DateTimeOffset?)null),
            (retried.Status, retried.Attempts, retried.NextAttemptAt, retried.LastError, retried.CompletedAt));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("node-a", now.AddSeconds(9), now.AddSeconds(40), 10));
        var retriedClaim = await Store.ClaimDueDeliveriesAsync("node-a", now.AddSeconds(10), now.AddSeconds(40), 10);
        Assert.Equal(ids[0], Assert.Single(retriedClaim).Id);

        await Store.RecordDeliveryAttemptAsync(new DeliveryAttempt(
            ids[0],
            now.AddSeconds(11),
            200,
            null,
            TimeSpan.FromMilliseconds(3),
            WebhookDeliveryStatus.Delivered,
            null));
        await Store.RecordDeliveryAttemptAsync(new DeliveryAttempt(
            ids[1],
            now.AddSeconds(12),
            null,
            "connection refused",
            TimeSpan.FromMilliseconds(1),
            WebhookDeliveryStatus.Failed,
            null));

        var delivered = (await Store.ListDeliveriesAsync(new DeliveryQuery(WebhookDeliveryStatus.Delivered))).Single();
        Assert.Equal(
            (ids[0], 2, now.AddSeconds(11), (string?)null),
            (delivered.Id, delivered.Attempts, delivered.CompletedAt, delivered.LastError));
        var failed = (await Store.ListDeliveriesAsync(new DeliveryQuery(WebhookDeliveryStatus.Failed))).Single();
        Assert.Equal((ids[1], 1, "connection refused"), (failed.Id, failed.Attempts, failed.LastError));
        Assert.Empty(await Store.ClaimDueDeliveriesAsync("node-a", now.AddHours(1), now.AddHours(2), 10));

        var attempts = await Store.ListDeliveryAttemptsAsync(ids[0]);
        Assert.Equal([503, 200], attempts.Select(a => a.HttpStatus));
        Assert.Equal(
            (now, "HTTP 503", 12.5),
            (attempts[0].At, attempts[0].Error, attempts[0].Latency.TotalMilliseconds));
        Assert.Null(Assert.Single(await Store.ListDeliveryAttemptsAsync(ids[1])).HttpStatus);
        Assert.Empty(await Store.ListDeliveryAttemptsAsync("msg_none"));
    }

    [Fact]
    public async Task A_failed_delivery_can_be_retried_by_hand()
    {
        var ids = await QueueDeliveriesAsync(1);
        var now = T0.AddMinutes(1);
        await Store.ClaimDueDeliveriesAsync("node-a", now, now.AddSeconds(30), 10);
        await Store.RecordDeliveryAttemptAsync(new DeliveryAttempt(
            ids[0], now, 500, "HTTP 500", TimeSpan.FromMilliseconds(5), WebhookDeliveryStatus.Failed, null));

        Assert.True(await Store.RetryDeliveryAsync(ids[0], now.AddHours(1)));
        Assert.False(await Store.RetryDeliveryAsync("msg_none", now));
        var again = (await Store.ListDeliveriesAsync(new DeliveryQuery())).Single();
        Assert.Equal(
            (WebhookDeliveryStatus.Pending, now.AddHours(1), (DateTimeOffset?)null),
            (again.Status, again.NextAttemptAt, again.CompletedAt));
        var claimedLater = await AnotherNode().ClaimDueDeliveriesAsync(
            "node-b", now.AddHours(1), now.AddHours(1).AddSeconds(30), 10);
        Assert.Equal(ids[0], Assert.Single(claimedLater).Id);
    }

    [Fact]
    public async Task Deliveries_are_listed_by_status_and_authorization()
    {
        var ids = await QueueDeliveriesAsync(3);
        var all = await Store.ListDeliveriesAsync(new DeliveryQuery());
        Assert.Equal(3, all.Count);
        var one = all.Single(d => d.Id == ids[1]);
        var ofOne = await Store.ListDeliveriesAsync(new DeliveryQuery(AuthorizationId: one.AuthorizationId));
        Assert.Equal([ids[1]], ofOne.Select(d => d.Id));
        Assert.Equal(3, (await Store.ListDeliveriesAsync(new DeliveryQuery(WebhookDeliveryStatus.Pending))).Count);
        Assert.Empty(await Store.ListDeliveriesAsync(new DeliveryQuery(WebhookDeliveryStatus.Delivered)));
        Assert.Equal(2, (await Store.ListDeliveriesAsync(new DeliveryQuery(Limit: 2))).Count);
        Assert.Equal([ids[2]], (await Store.ListDeliveriesAsync(new DeliveryQuery(Id: ids[2]))).Select(d => d.Id));
        Assert.Empty(await Store.ListDeliveriesAsync(new DeliveryQuery(Id: "msg_none")));
    }

    [Fact]
    public async Task Deliveries_are_listed_between_two_moments()
    {
        var ids = await QueueDeliveriesAsync(3);

        // Created at T0 + 1, 2 and 3 ms: since is inclusive, until exclusive.
        var middle = await Store.ListDeliveriesAsync(
            new DeliveryQuery(Since: T0.AddMilliseconds(2), Until: T0.AddMilliseconds(3)));
        Assert.Equal([ids[1]], middle.Select(d => d.Id));
        var since = await Store.ListDeliveriesAsync(new DeliveryQuery(Since: T0.AddMilliseconds(2)));
        Assert.Equal([ids[2], ids[1]], since.Select(d => d.Id));
        var until = await Store.ListDeliveriesAsync(new DeliveryQuery(Until: T0.AddMilliseconds(2)));
        Assert.Equal([ids[0]], until.Select(d => d.Id));
    }

    /// <summary>
    /// Confirms <paramref name="count"/> authorizations with a webhook; returns their deliveries' ids in
    /// creation order.
    /// </summary>
    private async Task<IReadOnlyList<string>> QueueDeliveriesAsync(int count)
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync(free: count);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var a = await CreateAsync(
                token, N1, new Core.Phones.E164Phone($"+790000{i:D5}"), webhook: $"https://example.com/hook/{i}");
            await Store.RecordCallAsync(Matched(a, T0.AddMilliseconds(i + 1)));
            ids.Add((await Store.ListDeliveriesAsync(new DeliveryQuery(AuthorizationId: a.Id))).Single().Id);
        }

        return ids;
    }
}
