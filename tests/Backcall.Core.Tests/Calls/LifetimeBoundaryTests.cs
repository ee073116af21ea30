using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;

namespace Backcall.Core.Tests.Calls;

/// <summary>A call is judged at the time it was received, not when it is written (fake clock).</summary>
public sealed class LifetimeBoundaryTests
{
    private const string Number = "+79640000001";
    private const string User = "+79001234567";

    [Fact]
    public async Task A_call_received_before_expiry_confirms_after_the_sweep_and_the_notice_is_never_sent()
    {
        await using var h = new CoreHarness(
            new AuthorizationOptions { PerPhoneLimit = 1000, ExpiryNoticeDelay = TimeSpan.FromSeconds(5) });
        await h.Numbers.AddAsync(Number);
        var created = await h.Authorizations.CreateAsync(
            await h.TokenAsync(), User, "https://app.example/hook", notifyExpired: true, default);
        var a = created.Authorization!;
        var receivedAt = a.ExpiresAt.AddMilliseconds(-1);

        // The database was slow: by the time the call is written the lifetime is over and the sweep has run.
        h.Time.SetUtcNow(a.ExpiresAt.AddSeconds(1));
        Assert.Equal(1, await h.Expiry.SweepAsync());
        var notice = Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal((false, a.ExpiresAt.AddSeconds(6)), (notice.Success, notice.NextAttemptAt));

        Assert.Equal(
            new CallResult(CallOutcome.Matched, a.Id), await h.CallAsync(User, Number, receivedAt: receivedAt));
        var stored = (await h.Store.GetAuthorizationAsync(a.Id))!;
        Assert.Equal((AuthorizationStatus.Ok, receivedAt), (stored.Status, stored.ConfirmedAt));
        Assert.True(h.Index.TryGet(a.Id, out var inMemory));
        Assert.Equal(AuthorizationStatus.Ok, inMemory.Status);

        // Only the confirmation is left to send: the expiry notice was withdrawn with it.
        var delivery = Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal((true, "89001234567"), (delivery.Success, delivery.Phone));
    }

    [Fact]
    public async Task A_call_received_at_the_expiry_is_late_even_before_the_sweep()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(Number);
        var a = (await h.Authorizations.CreateAsync(await h.TokenAsync(), User, null, false, default)).Authorization!;
        Assert.Equal(CallOutcome.Expired, (await h.CallAsync(User, Number, receivedAt: a.ExpiresAt)).Outcome);
        Assert.Equal(AuthorizationStatus.Pending, (await h.Store.GetAuthorizationAsync(a.Id))!.Status);
    }

    [Fact]
    public async Task A_node_that_has_not_heard_of_an_authorization_matches_it_from_the_database()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(Number);
        var a = (await h.Authorizations.CreateAsync(await h.TokenAsync(), User, null, false, default)).Authorization!;

        var otherNode = new CallService(h.Store, h.Store, new AuthorizationIndex(), h.Time);
        var result = await otherNode.ReceiveAsync(new IncomingCall("early", new(User), new(Number), "test"));
        Assert.Equal(new CallResult(CallOutcome.Matched, a.Id), result);
    }
}
