using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_matched_call_confirms_and_queues_the_webhook_in_the_same_step()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var a = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook");
        var at = T0.AddSeconds(20);

        var result = await Store.RecordCallAsync(Matched(a, at, "call-1"));
        Assert.Equal((CallOutcome.Matched, a.Id, false), (result.Outcome, result.AuthorizationId, result.Repeated));
        Assert.NotNull(result.Confirmed);
        Assert.Equal(
            (AuthorizationStatus.Ok, at, P1),
            (result.Confirmed.Status, result.Confirmed.ConfirmedAt, result.Confirmed.ConfirmedPhone));
        Assert.Equal(result.Confirmed, await Store.GetAuthorizationAsync(a.Id));

        var delivery = Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.StartsWith("msg_", delivery.Id, StringComparison.Ordinal);
        Assert.Equal(
            (a.Id, token.Id, "https://example.com/hook", true, "89001234567", WebhookDeliveryStatus.Pending, 0, at, at),
            (delivery.AuthorizationId, delivery.TokenId, delivery.Url, delivery.Success, delivery.Phone,
                delivery.Status, delivery.Attempts, delivery.CreatedAt, delivery.NextAttemptAt));

        var call = Assert.Single(await Store.ListCallsAsync(new CallQuery()));
        Assert.Equal(("call-1", P1.Value, N1.Value, "test", at, CallOutcome.Matched, (long?)a.Id),
            (call.CallId, call.Caller, call.Called, call.Source, call.ReceivedAt, call.Outcome, call.AuthorizationId));
    }

    [Fact]
    public async Task The_same_call_id_again_changes_nothing_and_answers_the_first_outcome()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var a = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook");
        await Store.RecordCallAsync(Matched(a, T0.AddSeconds(5), "same"));

        // Even when the retransmission reaches another node and proposes something else.
        var again = await AnotherNode().RecordCallAsync(
            Unmatched(Call(P2, N1, "same"), T0.AddSeconds(6), CallOutcome.NoLiveAuthorization));
        Assert.Equal(
            (CallOutcome.Matched, (long?)a.Id, true, (Authorization?)null),
            (again.Outcome, again.AuthorizationId, again.Repeated, again.Confirmed));
        Assert.Single(await Store.ListCallsAsync(new CallQuery()));
        Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal(T0.AddSeconds(5), (await Store.GetAuthorizationAsync(a.Id))!.ConfirmedAt);
    }

    [Fact]
    public async Task The_same_call_id_on_two_nodes_at_once_is_recorded_once()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var other = AnotherNode();
        for (var round = 0; round < 5; round++)
        {
            var a = await CreateAsync(
                token, N1, new E164Phone($"+7900000020{round}"), webhook: "https://example.com/hook");
            var results = await RaceAsync(
                () => Store.RecordCallAsync(Matched(a, T0.AddSeconds(1), $"dup-{round}")),
                () => other.RecordCallAsync(Matched(a, T0.AddSeconds(1), $"dup-{round}")));
            Assert.Single(results, r => !r.Repeated);
            Assert.All(results, r => Assert.Equal(CallOutcome.Matched, r.Outcome));
        }

        Assert.Equal(5, (await Store.ListCallsAsync(new CallQuery())).Count);
        Assert.Equal(5, (await Store.ListDeliveriesAsync(new DeliveryQuery())).Count);
    }

    [Fact]
    public async Task Racing_confirmations_confirm_once()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var other = AnotherNode();
        for (var round = 0; round < 5; round++)
        {
            var a = await CreateAsync(
                token, N1, new E164Phone($"+7900000030{round}"), webhook: "https://example.com/hook");
            var results = await RaceAsync(
                () => ReceiveAsync(Call(a.UserPhone, a.AuthNumber), T0.AddSeconds(1)),
                () => ReceiveAsync(Call(a.UserPhone, a.AuthNumber), T0.AddSeconds(1), other));
            Assert.Single(results, r => r.Outcome == CallOutcome.Matched);
            Assert.Single(results, r => r.Outcome == CallOutcome.AlreadyConfirmed);
        }

        Assert.Equal(5, (await Store.ListDeliveriesAsync(new DeliveryQuery())).Count);
        Assert.Equal(5, (await Store.ListCallsAsync(new CallQuery(Outcome: CallOutcome.Matched))).Count);
        Assert.Equal(5, (await Store.ListCallsAsync(new CallQuery(Outcome: CallOutcome.AlreadyConfirmed))).Count);
    }

    [Fact]
    public async Task A_match_proposed_after_expiry_is_recorded_as_expired()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var a = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook");

        var late = await Store.RecordCallAsync(Matched(a, a.ExpiresAt));
        Assert.Equal((CallOutcome.Expired, false), (late.Outcome, late.Confirmed is not null));
        Assert.Equal(AuthorizationStatus.Pending, (await Store.GetAuthorizationAsync(a.Id))!.Status);
        Assert.Empty(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal(CallOutcome.Expired, Assert.Single(await Store.ListCallsAsync(new CallQuery())).Outcome);
    }

    [Fact]
    public async Task A_wrong_caller_leaves_its_masked_number_on_the_pending_authorizations_only()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var waiting = await CreateAsync(token, N1, P1);
        var done = await CreateAsync(token, N1, P2);
        await Store.RecordCallAsync(Matched(done, T0.AddSeconds(1)));

        var result = await Store.RecordCallAsync(new CallDecision(
            Call(new("+79990001122"), N1),
            T0.AddSeconds(2),
            CallOutcome.WrongCaller,
            null,
            null,
            [waiting.Id, done.Id],
            "+7999***1122"));
        Assert.Equal(
            (CallOutcome.WrongCaller, (long?)null, false), (result.Outcome, result.AuthorizationId, result.Repeated));
        Assert.Equal("+7999***1122", (await Store.GetAuthorizationAsync(waiting.Id))!.OtherCaller);
        Assert.Null((await Store.GetAuthorizationAsync(done.Id))!.OtherCaller);
    }

    [Fact]
    public async Task Calls_are_listed_newest_first_with_filters()
    {
        var anonymous = await Store.RecordCallAsync(Unmatched(Call(null, N1, "c1"), T0, CallOutcome.Anonymous));
        await Store.RecordCallAsync(Unmatched(Call(P1, N1, "c2"), T0.AddSeconds(1), CallOutcome.NoLiveAuthorization));
        await Store.RecordCallAsync(Unmatched(Call(P2, N2, "c3"), T0.AddSeconds(2), CallOutcome.NoLiveAuthorization));
        Assert.Equal(CallOutcome.Anonymous, anonymous.Outcome);

        var all = await Store.ListCallsAsync(new CallQuery());
        Assert.Equal(["c3", "c2", "c1"], all.Select(c => c.CallId));
        Assert.Null(all[2].Caller);
        Assert.Equal(["c2", "c1"], (await Store.ListCallsAsync(new CallQuery(Phone: N1.Value))).Select(c => c.CallId));
        Assert.Equal(["c3"], (await Store.ListCallsAsync(new CallQuery(Phone: P2.Value))).Select(c => c.CallId));
        var anonymousCalls = await Store.ListCallsAsync(new CallQuery(Outcome: CallOutcome.Anonymous));
        Assert.Equal(["c1"], anonymousCalls.Select(c => c.CallId));
        Assert.Equal(["c1"], (await Store.ListCallsAsync(new CallQuery(BeforeId: all[1].Id))).Select(c => c.CallId));
        Assert.Equal(["c3"], (await Store.ListCallsAsync(new CallQuery(Limit: 1))).Select(c => c.CallId));
    }
}
