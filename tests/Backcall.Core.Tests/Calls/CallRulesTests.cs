using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;

namespace Backcall.Core.Tests.Calls;

/// <summary>The decisions about a call, with no database: only the facts the core gathered.</summary>
public sealed class CallRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly E164Phone Number = new("+79640000001");
    private static readonly E164Phone User = new("+79001234567");
    private static readonly E164Phone Stranger = new("+79990001122");

    private static Authorization Make(
        long id, long token = 1, AuthorizationStatus status = AuthorizationStatus.Pending, string? webhook = null) =>
        new()
        {
            Id = id,
            TokenId = token,
            UserPhone = User,
            AuthNumber = Number,
            QrKey = "k" + id,
            CreatedAt = T0,
            ExpiresAt = T0.AddSeconds(120),
            Status = status,
            Webhook = webhook,
        };

    private static IncomingCall Call(E164Phone? caller) => new("c", caller, Number, "test");

    [Fact]
    public void A_call_is_judged_at_the_time_it_was_received()
    {
        var a = Make(1);
        Assert.Equal(CallOutcome.Matched, CallRules.Judge(a, T0.AddSeconds(119.999)));
        Assert.Equal(CallOutcome.Expired, CallRules.Judge(a, a.ExpiresAt));

        // Expired by the sweep before the call was written: received before the expiry, it still confirms.
        Assert.Equal(
            CallOutcome.Matched,
            CallRules.Judge(a with { Status = AuthorizationStatus.Expired }, a.ExpiresAt.AddMilliseconds(-1)));
        Assert.Equal(
            CallOutcome.AlreadyConfirmed,
            CallRules.Judge(a with { Status = AuthorizationStatus.Ok }, T0.AddSeconds(1)));
        Assert.Equal(
            CallOutcome.AlreadyConfirmed,
            CallRules.Judge(a with { Status = AuthorizationStatus.Ok }, a.ExpiresAt.AddHours(1)));
    }

    [Fact]
    public void A_match_confirms_on_the_expiry_it_saw_and_queues_the_webhook_at_the_call()
    {
        var at = T0.AddSeconds(30);
        var decision = CallRules.ForMatch(Call(User), User, Make(7, webhook: "https://app.example/hook"), at);

        Assert.Equal(
            (CallOutcome.Matched, (long?)7, at), (decision.Outcome, decision.AuthorizationId, decision.ReceivedAt));
        var confirm = decision.Confirm!;
        Assert.Equal((7L, User, T0.AddSeconds(120)), (confirm.AuthorizationId, confirm.Phone, confirm.SeenExpiresAt));
        Assert.Equal(
            ("https://app.example/hook", true, "89001234567", at, at),
            (confirm.Webhook!.Url, confirm.Webhook.Success, confirm.Webhook.Phone, confirm.Webhook.CreatedAt,
                confirm.Webhook.DueAt));

        Assert.Null(CallRules.ForMatch(Call(User), User, Make(7), at).Confirm!.Webhook);
        var late = CallRules.ForMatch(
            Call(User), User, Make(7, webhook: "https://app.example/hook"), T0.AddSeconds(120));
        Assert.Equal((CallOutcome.Expired, (Storage.Confirmation?)null), (late.Outcome, late.Confirm));
    }

    [Fact]
    public void A_stranger_leaves_a_hint_only_when_every_waiting_authorization_is_one_apps()
    {
        var at = T0.AddSeconds(5);
        var waiting = new[] { Make(1), Make(2) };

        var oneApp = CallRules.ForStranger(Call(Stranger), Stranger, waiting, oneToken: true, at);
        Assert.Equal((CallOutcome.WrongCaller, "+7******1122"), (oneApp.Outcome, oneApp.Hint));
        Assert.Equal([1L, 2L], oneApp.HintIds);

        // Another app's user is waiting on the number too: no app learns of the call.
        var twoApps = CallRules.ForStranger(Call(Stranger), Stranger, waiting, oneToken: false, at);
        Assert.Equal((CallOutcome.WrongCaller, (string?)null), (twoApps.Outcome, twoApps.Hint));
        Assert.Empty(twoApps.HintIds);

        Assert.Equal(
            CallOutcome.NoLiveAuthorization,
            CallRules.ForStranger(Call(Stranger), Stranger, [], oneToken: false, at).Outcome);
        Assert.Equal(CallOutcome.Anonymous, CallRules.ForAnonymous(Call(null), at).Outcome);
    }
}
