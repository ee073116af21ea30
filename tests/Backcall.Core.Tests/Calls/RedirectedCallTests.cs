using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Core.Tests.Calls;

/// <summary>
/// A call forwarded to the pool number carries the caller ID of whoever dialled the forwarding number.
/// </summary>
public sealed class RedirectedCallTests
{
    private const string Number = "+79640000001";
    private const string User = "+79001234567";
    private const string Forwarder = "+79005556677";

    [Fact]
    public async Task A_forwarded_call_confirms_nothing_leaves_no_hint_and_is_logged_with_the_forwarding_number()
    {
        await using var h = new CoreHarness();
        var a = await CreateAsync(h);

        var result = await h.Calls.ReceiveAsync(Call("fwd-1", new CallRedirection(Forwarder, Allowed: false)));

        Assert.Equal(new CallResult(CallOutcome.Redirected, null), result);
        Assert.True(h.Index.TryGet(a.Id, out var still));
        Assert.Equal((AuthorizationStatus.Pending, (string?)null), (still.Status, still.OtherCaller));
        Assert.Equal(AuthorizationStatus.Pending, (await h.Store.GetAuthorizationAsync(a.Id))!.Status);
        Assert.Empty(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
        var log = Assert.Single(await h.Store.ListCallsAsync(new CallQuery(Outcome: CallOutcome.Redirected)));
        Assert.Equal(("fwd-1", Forwarder), (log.CallId, log.RedirectedFrom));

        // The user calling the number straight is still believed.
        Assert.Equal(CallOutcome.Matched, (await h.CallAsync(User, Number)).Outcome);
    }

    [Fact]
    public async Task A_forwarded_call_confirms_where_the_way_in_allows_forwarded_calls()
    {
        await using var h = new CoreHarness();
        var a = await CreateAsync(h);

        var result = await h.Calls.ReceiveAsync(Call("fwd-2", new CallRedirection(Forwarder, Allowed: true)));

        Assert.Equal(new CallResult(CallOutcome.Matched, a.Id), result);
        Assert.Equal(Forwarder, Assert.Single(await h.Store.ListCallsAsync(new CallQuery())).RedirectedFrom);
    }

    [Fact]
    public async Task A_forwarded_anonymous_call_is_redirected_too()
    {
        await using var h = new CoreHarness();
        await CreateAsync(h);
        var call = Call("fwd-3", new CallRedirection(CallRedirection.Unknown, Allowed: false)) with { Caller = null };

        Assert.Equal(CallOutcome.Redirected, (await h.Calls.ReceiveAsync(call)).Outcome);
    }

    private static async Task<Authorization> CreateAsync(CoreHarness h)
    {
        await h.Numbers.AddAsync(Number);
        var created = await h.Authorizations.CreateAsync(
            await h.TokenAsync(), User, "https://app.example/hook", false, default);
        return created.Authorization!;
    }

    private static IncomingCall Call(string callId, CallRedirection redirection) =>
        new(callId, new E164Phone(User), new E164Phone(Number), "test", Redirection: redirection);
}
