using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

/// <summary>
/// The core's decisions applied by each store: both must behave the same, because the rules are the
/// core's and the stores only persist them.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_call_a_node_could_not_match_from_memory_yet_is_matched_from_the_database()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var created = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook");

        // Node B has not heard of it yet: its memory has nothing waiting on the number.
        var result = await ReceiveAsync(Call(P1, N1, "early"), T0.AddSeconds(1), AnotherNode(), knowsNothing: true);
        Assert.Equal((CallOutcome.Matched, (long?)created.Id), (result.Outcome, result.AuthorizationId));
        Assert.Equal(AuthorizationStatus.Ok, (await Store.GetAuthorizationAsync(created.Id))!.Status);
        var logged = Assert.Single(await Store.ListCallsAsync(new CallQuery()));
        Assert.Equal((CallOutcome.Matched, (long?)created.Id), (logged.Outcome, logged.AuthorizationId));
        Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));

        // A caller that really is someone else stays a wrong caller.
        await CreateAsync(token, N1, P2);
        var wrong = await ReceiveAsync(Call(new("+79990001122"), N1), T0.AddSeconds(2), AnotherNode());
        Assert.Equal(CallOutcome.WrongCaller, wrong.Outcome);
    }

    [Fact]
    public async Task A_confirmation_whose_authorization_changed_meanwhile_writes_nothing_and_says_so()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var a = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook");
        await Store.RecordCallAsync(Matched(a, T0.AddSeconds(1), "first"));

        // Decided on the authorization as it was before the first call: the premise no longer holds.
        var late = await AnotherNode().RecordCallAsync(Matched(a, T0.AddSeconds(2), "second"));
        Assert.Equal(CallRecordStatus.LostRace, late.Status);
        Assert.Equal(AuthorizationStatus.Ok, late.Current!.Status);
        Assert.Equal(T0.AddSeconds(1), (await Store.GetAuthorizationAsync(a.Id))!.ConfirmedAt);
        Assert.Single(await Store.ListCallsAsync(new CallQuery()));
        Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));
    }

    [Fact]
    public async Task A_call_received_before_expiry_confirms_after_the_sweep_and_withdraws_the_notice()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var a = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook", notifyExpired: true);

        // The sweep runs at the expiry, before the call received a millisecond earlier is written.
        Assert.Single(await SweepAsync(a.ExpiresAt, noticeDelay: TimeSpan.FromSeconds(5)));
        var notice = Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal((false, a.ExpiresAt.AddSeconds(5)), (notice.Success, notice.NextAttemptAt));

        var result = await ReceiveAsync(Call(P1, N1, "boundary"), a.ExpiresAt.AddMilliseconds(-1), AnotherNode());
        Assert.Equal(CallOutcome.Matched, result.Outcome);
        var confirmed = (await Store.GetAuthorizationAsync(a.Id))!;
        Assert.Equal(
            (AuthorizationStatus.Ok, a.ExpiresAt.AddMilliseconds(-1)), (confirmed.Status, confirmed.ConfirmedAt));
        var delivery = Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.True(delivery.Success);

        // Received at the expiry: late, whatever the sweep did.
        var b = await CreateAsync(token, N1, P2, webhook: "https://example.com/hook");
        Assert.Equal(CallOutcome.Expired, (await ReceiveAsync(Call(P2, N1), b.ExpiresAt, AnotherNode())).Outcome);
    }

    [Fact]
    public async Task A_superseded_authorization_is_expired_and_frees_its_number_in_the_same_step()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync(free: 3);
        var first = await CreateAsync(token, N1, P1);

        // The token asks again for the same phone: the new one may take the very same number.
        var result = await Store.CreateAuthorizationAsync(
            Request(token, N1, P1, T0.AddSeconds(10)) with { Supersedes = [first.Id] });
        Assert.Equal(CreateAuthorizationError.None, result.Error);
        var old = Assert.Single(result.Superseded);
        Assert.Equal((first.Id, AuthorizationStatus.Expired, T0.AddSeconds(10)), (old.Id, old.Status, old.ExpiresAt));
        Assert.Equal(AuthorizationStatus.Expired, (await Store.GetAuthorizationAsync(first.Id))!.Status);
        Assert.Equal(1, (await Store.GetTokenAsync(token.Id))!.FreeLeft);

        // Another token's authorization is never superseded, and the lease it holds still guards its number.
        var other = await TokenAsync();
        var theirs = await CreateAsync(other, N1, P2);
        var refused = await Store.CreateAuthorizationAsync(Request(token, N1, P2) with { Supersedes = [theirs.Id] });
        Assert.Equal(CreateAuthorizationError.NumberTaken, refused.Error);
        Assert.Equal(AuthorizationStatus.Pending, (await Store.GetAuthorizationAsync(theirs.Id))!.Status);
        Assert.Equal(1, (await Store.GetTokenAsync(token.Id))!.FreeLeft);
    }
}
