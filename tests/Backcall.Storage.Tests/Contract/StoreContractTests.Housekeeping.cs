using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Expiry_marks_overdue_authorizations_and_queues_notices_only_where_asked()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var notify = await CreateAsync(
            token, N1, new("+79000000001"), webhook: "https://example.com/hook", notifyExpired: true);
        var noWebhook = await CreateAsync(token, N1, new("+79000000002"), notifyExpired: true);
        var noNotify = await CreateAsync(token, N1, new("+79000000003"), webhook: "https://example.com/hook");
        var later = await CreateAsync(
            token,
            N1,
            new("+79000000004"),
            lifetime: TimeSpan.FromHours(1),
            webhook: "https://example.com/hook",
            notifyExpired: true);

        Assert.Empty(await SweepAsync(T0 + Lifetime - TimeSpan.FromMilliseconds(1)));
        var expired = await SweepAsync(T0 + Lifetime);
        Assert.Equal([notify.Id, noWebhook.Id, noNotify.Id], expired.Select(a => a.Id).Order());
        Assert.All(expired, a => Assert.Equal(AuthorizationStatus.Expired, a.Status));
        Assert.Equal(AuthorizationStatus.Expired, (await Store.GetAuthorizationAsync(notify.Id))!.Status);
        Assert.Equal(AuthorizationStatus.Pending, (await Store.GetAuthorizationAsync(later.Id))!.Status);

        var notice = Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal(
            (notify.Id, false, "", T0 + Lifetime),
            (notice.AuthorizationId, notice.Success, notice.Phone, notice.NextAttemptAt));
        Assert.Empty(await SweepAsync(T0 + Lifetime));
    }

    [Fact]
    public async Task Nodes_sweeping_at_once_expire_each_authorization_once()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync(free: 30);
        for (var i = 0; i < 30; i++)
        {
            await CreateAsync(
                token, N1, new($"+790000{i:D5}"), webhook: "https://example.com/hook", notifyExpired: true);
        }

        var other = AnotherNode();
        var results = await RaceAsync(() => SweepAsync(T0.AddHours(1)), () => SweepAsync(T0.AddHours(1), other));
        var ids = results.SelectMany(r => r).Select(a => a.Id).ToList();
        Assert.Equal(30, ids.Count);
        Assert.Equal(30, ids.Distinct().Count());
        Assert.Equal(30, (await Store.ListDeliveriesAsync(new DeliveryQuery())).Count);
    }

    [Fact]
    public async Task Pruning_deletes_old_finished_rows_and_keeps_the_rest()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var oldConfirmed = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook");
        await Store.RecordCallAsync(Matched(oldConfirmed, T0.AddSeconds(1)));
        var delivery = (await Store.ClaimDueDeliveriesAsync("n", T0.AddSeconds(2), T0.AddSeconds(30), 10)).Single();
        await Store.RecordDeliveryAttemptAsync(new DeliveryAttempt(
            delivery.Id,
            T0.AddSeconds(2),
            200,
            null,
            TimeSpan.FromMilliseconds(1),
            Core.Webhooks.WebhookDeliveryStatus.Delivered,
            null));
        var oldExpired = await CreateAsync(token, N1, P2, lifetime: TimeSpan.FromMinutes(1));
        await SweepAsync(T0.AddMinutes(2));
        var stillPending = await CreateAsync(token, N1, new("+79000000009"), lifetime: TimeSpan.FromDays(30));

        var cutoff = T0.AddDays(1);
        var recent = await CreateAsync(token, N1, new("+79000000008"), cutoff.AddHours(1));
        await Store.RecordCallAsync(Matched(recent, cutoff.AddHours(2)));

        var pruned = await Store.PruneAsync(cutoff);
        Assert.True(pruned >= 5, $"pruned {pruned}");
        Assert.Null(await Store.GetAuthorizationAsync(oldConfirmed.Id));
        Assert.Null(await Store.GetAuthorizationAsync(oldExpired.Id));
        Assert.NotNull(await Store.GetAuthorizationAsync(stillPending.Id));
        Assert.NotNull(await Store.GetAuthorizationAsync(recent.Id));
        Assert.Equal([recent.Id], (await Store.ListCallsAsync(new CallQuery())).Select(c => c.AuthorizationId ?? 0));
        Assert.Empty(await Store.ListDeliveryAttemptsAsync(delivery.Id));
        Assert.Empty(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal(0, await Store.PruneAsync(cutoff));
    }

    [Fact]
    public async Task Statistics_count_what_happened_since_a_moment()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var before = await CreateAsync(token, N1, new("+79000000001"), T0.AddHours(-2));
        await Store.RecordCallAsync(Matched(before, T0.AddHours(-2).AddSeconds(1)));

        var confirmed = await CreateAsync(token, N1, new("+79000000002"), webhook: "https://example.com/hook");
        await Store.RecordCallAsync(Matched(confirmed, T0.AddSeconds(1)));
        await CreateAsync(token, N1, new("+79000000003"), lifetime: TimeSpan.FromMinutes(1));
        await CreateAsync(token, N1, new("+79000000004"));
        await SweepAsync(T0.AddMinutes(2));
        await Store.RecordCallAsync(Unmatched(Call(P2, N2), T0.AddSeconds(3), CallOutcome.NoLiveAuthorization));
        await Store.RecordCallAsync(Unmatched(Call(null, N2), T0.AddSeconds(4), CallOutcome.Anonymous));

        var stats = await Store.GetStatisticsAsync(T0);
        Assert.Equal(new StoreStatistics(3, 1, 1, 1, 2, 0, 0, 1), stats);
        var all = await AnotherNode().GetStatisticsAsync(T0.AddDays(-1));
        Assert.Equal((4L, 2L, 2L), (all.AuthorizationsCreated, all.AuthorizationsConfirmed, all.CallsMatched));
    }
}
