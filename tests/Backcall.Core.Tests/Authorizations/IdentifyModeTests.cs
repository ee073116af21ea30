using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Core.Tests.Authorizations;

/// <summary>
/// Identify mode: a request without phone holds a number no one else waits on, and the first usable caller ID
/// on it is the answer. Each test is an abuse of that promise.
/// </summary>
public sealed class IdentifyModeTests
{
    private const string N1 = "+79640000001";
    private const string N2 = "+79640000002";
    private const string Caller = "+79001234567";
    private const string Other = "+79007654321";
    private const string Hook = "https://app.example/hook";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task No_phone_is_identify_mode_charged_as_one_request(string? phone)
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        var token = await h.TokenAsync();

        var a = Assert.IsType<Authorization>(
            (await h.Authorizations.CreateAsync(token, phone, Hook, false, default)).Authorization);

        Assert.True(a.IsIdentify);
        Assert.Null(a.UserPhone);
        Assert.Equal(N1, a.AuthNumber.Value);
        Assert.Equal(TimeSpan.FromSeconds(120), a.ExpiresAt - a.CreatedAt);
        Assert.Equal(49, (await h.Tokens.ListAsync())[0].FreeLeft);
    }

    [Fact]
    public async Task One_token_holds_at_most_its_share_of_the_pool_and_leaves_the_rest_to_other_apps()
    {
        await using var h = new CoreHarness(new AuthorizationOptions { IdentifyPoolShare = 50 });
        foreach (var n in new[] { N1, N2, "+79640000003", "+79640000004" })
        {
            await h.Numbers.AddAsync(n);
        }

        var greedy = await h.TokenAsync();
        Assert.NotNull((await h.Authorizations.CreateAsync(greedy, null, null, false, default)).Authorization);
        Assert.NotNull((await h.Authorizations.CreateAsync(greedy, null, null, false, default)).Authorization);

        var third = await h.Authorizations.CreateAsync(greedy, null, null, false, default);
        Assert.Equal(CreateFailure.IdentifyShareReached, third.Failure);
        Assert.Contains("50% of 4", third.Message, StringComparison.Ordinal);
        Assert.NotNull(third.RetryAfter);

        // The other half is the other apps': identify mode and verifications of a phone alike.
        var other = await h.TokenAsync();
        Assert.NotNull((await h.Authorizations.CreateAsync(other, null, null, false, default)).Authorization);
        Assert.NotNull((await h.Authorizations.CreateAsync(other, Caller, null, false, default)).Authorization);

        // Once one of its numbers is free again (the lifetime is over), the token may hold it again.
        h.Time.Advance(TimeSpan.FromSeconds(121));
        Assert.NotNull((await h.Authorizations.CreateAsync(greedy, null, null, false, default)).Authorization);
    }

    [Fact]
    public async Task A_blank_phone_is_still_bad_input()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        var outcome = await h.Authorizations.CreateAsync(await h.TokenAsync(), "  ", null, false, default);
        Assert.Equal(CreateFailure.BadPhone, outcome.Failure);
    }

    [Fact]
    public async Task Identify_mode_gets_only_a_number_nothing_waits_on()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        await h.Numbers.AddAsync(N2);
        var token = await h.TokenAsync();
        var normal = (await h.Authorizations.CreateAsync(token, Caller, null, false, default)).Authorization!;

        var identify = (await h.Authorizations.CreateAsync(token, null, null, false, default)).Authorization!;

        Assert.NotEqual(normal.AuthNumber, identify.AuthNumber);

        // Both numbers are taken now: the one held whole, and the one a phone waits on.
        var refused = await h.Authorizations.CreateAsync(token, null, null, false, default);
        Assert.Equal(CreateFailure.NoFreeNumber, refused.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), refused.RetryAfter);
    }

    [Fact]
    public async Task A_second_app_cannot_grab_the_held_number_in_either_mode()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        await h.Authorizations.CreateAsync(await h.TokenAsync(), null, null, false, default);
        h.Time.Advance(TimeSpan.FromSeconds(20));
        var thief = await h.TokenAsync();

        var identify = await h.Authorizations.CreateAsync(thief, null, null, false, default);
        var normal = await h.Authorizations.CreateAsync(thief, Other, null, false, default);

        Assert.Equal((CreateFailure.NoFreeNumber, TimeSpan.FromSeconds(100)), (identify.Failure, identify.RetryAfter));
        Assert.Equal(CreateFailure.NoFreeNumber, normal.Failure);

        // Refusals are not charged.
        Assert.Equal(50, (await h.Tokens.ListAsync()).Single(t => t.Id == thief.Id).FreeLeft);
    }

    [Fact]
    public async Task A_number_a_phone_waits_on_is_not_held_for_identify_mode()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        var token = await h.TokenAsync();
        await h.Authorizations.CreateAsync(token, Caller, null, false, default);
        Assert.Equal(
            CreateFailure.NoFreeNumber,
            (await h.Authorizations.CreateAsync(await h.TokenAsync(), null, null, false, default)).Failure);
    }

    [Fact]
    public async Task Two_concurrent_identify_requests_on_a_pool_of_one_get_it_once()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        var first = await h.TokenAsync();
        var second = await h.TokenAsync();
        for (var round = 0; round < 5; round++)
        {
            var outcomes = await Task.WhenAll(
                Task.Run(() => h.Authorizations.CreateAsync(first, null, null, false, default)),
                Task.Run(() => h.Authorizations.CreateAsync(second, "", null, false, default)));

            Assert.Single(outcomes, o => o.Authorization is not null);
            Assert.Single(
                outcomes, o => o.Failure == CreateFailure.NoFreeNumber && o.RetryAfter >= TimeSpan.FromSeconds(1));
            h.Time.Advance(TimeSpan.FromSeconds(120));
        }
    }

    [Fact]
    public async Task The_first_call_with_a_caller_id_confirms_as_that_phone_and_no_later_call_changes_it()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        var a = (await h.Authorizations.CreateAsync(await h.TokenAsync(), null, Hook, false, default)).Authorization!;
        h.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(new CallResult(CallOutcome.Matched, a.Id), await h.CallAsync(Caller, N1, "first"));
        Assert.Equal(CallOutcome.NoLiveAuthorization, (await h.CallAsync(Other, N1, "second")).Outcome);
        Assert.Equal(new CallResult(CallOutcome.AlreadyConfirmed, a.Id), await h.CallAsync(Caller, N1, "again"));

        var stored = (await h.Store.GetAuthorizationAsync(a.Id))!;
        Assert.Equal((AuthorizationStatus.Ok, Caller), (stored.Status, stored.ConfirmedPhone?.Value));
        var delivery = Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal(("89001234567", true, a.Id), (delivery.Phone, delivery.Success, delivery.AuthorizationId));
    }

    [Fact]
    public async Task Anonymous_and_redirected_calls_confirm_nothing_unless_the_trunk_vouches_for_redirection()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        var a = (await h.Authorizations.CreateAsync(await h.TokenAsync(), null, Hook, false, default)).Authorization!;

        Assert.Equal(CallOutcome.Anonymous, (await h.CallAsync("anonymous", N1)).Outcome);
        var forwarded = new IncomingCall(
            "fwd",
            new E164Phone(Other),
            new E164Phone(N1),
            "test",
            Redirection: new CallRedirection("+79005550000", Allowed: false));
        Assert.Equal(CallOutcome.Redirected, (await h.Calls.ReceiveAsync(forwarded)).Outcome);
        Assert.Equal(AuthorizationStatus.Pending, (await h.Store.GetAuthorizationAsync(a.Id))!.Status);

        var vouched = forwarded with
        {
            CallId = "fwd-ok",
            Redirection = new CallRedirection("+79005550000", Allowed: true),
        };
        Assert.Equal(CallOutcome.Matched, (await h.Calls.ReceiveAsync(vouched)).Outcome);
        Assert.Equal(Other, (await h.Store.GetAuthorizationAsync(a.Id))!.ConfirmedPhone?.Value);
    }

    [Fact]
    public async Task A_call_received_before_expiry_confirms_even_after_the_sweep_and_one_after_does_not()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        var token = await h.TokenAsync();
        var early = (await h.Authorizations.CreateAsync(token, null, Hook, false, default)).Authorization!;
        var justBefore = early.ExpiresAt.AddMilliseconds(-1);
        h.Time.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(1, await h.Expiry.SweepAsync());

        Assert.Equal(CallOutcome.Matched, (await h.CallAsync(Caller, N1, "early", justBefore)).Outcome);
        Assert.Equal(Caller, (await h.Store.GetAuthorizationAsync(early.Id))!.ConfirmedPhone?.Value);

        var late = (await h.Authorizations.CreateAsync(token, null, Hook, false, default)).Authorization!;
        h.Time.Advance(TimeSpan.FromSeconds(120));
        var result = await h.CallAsync(Other, N1, "late", late.ExpiresAt);
        Assert.Equal(new CallResult(CallOutcome.Expired, late.Id), result);
        Assert.Null((await h.Store.GetAuthorizationAsync(late.Id))!.ConfirmedPhone);
        Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
    }

    [Fact]
    public async Task Once_confirmed_the_number_serves_both_modes_again()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        var token = await h.TokenAsync();
        await h.Authorizations.CreateAsync(token, null, null, false, default);
        await h.CallAsync(Caller, N1);

        var normal = (await h.Authorizations.CreateAsync(token, Other, null, false, default)).Authorization!;
        Assert.Equal(N1, normal.AuthNumber.Value);

        // The phone that confirmed the identify authorization calls again: a repeat, as in normal mode, and
        // the phone now waited for is not told of it.
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CallOutcome.AlreadyConfirmed, (await h.CallAsync(Caller, N1)).Outcome);
        Assert.Null((await h.Store.GetAuthorizationAsync(normal.Id))!.OtherCaller);
        Assert.Equal(new CallResult(CallOutcome.Matched, normal.Id), await h.CallAsync(Other, N1));
        Assert.NotNull((await h.Authorizations.CreateAsync(token, null, null, false, default)).Authorization);
    }

    [Fact]
    public async Task Exhausting_the_pool_takes_quota_and_is_bounded_by_it()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        await h.Numbers.AddAsync(N2);
        var greedy = await h.TokenAsync(free: 2);
        Assert.NotNull((await h.Authorizations.CreateAsync(greedy, null, null, false, default)).Authorization);
        Assert.NotNull((await h.Authorizations.CreateAsync(greedy, null, null, false, default)).Authorization);
        h.Time.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(
            CreateFailure.QuotaExhausted,
            (await h.Authorizations.CreateAsync(greedy, null, null, false, default)).Failure);
        Assert.NotNull(
            (await h.Authorizations.CreateAsync(await h.TokenAsync(), Caller, null, false, default)).Authorization);
    }

    [Fact]
    public async Task Capacity_counts_held_numbers_and_numbers_free_for_identify_mode()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync(N1);
        await h.Numbers.AddAsync(N2);
        var token = await h.TokenAsync();
        var now = h.Time.GetUtcNow();
        Assert.Equal(
            (0, 2), (h.Index.CountLiveIdentify(now), h.Index.CountFreeForIdentify(h.Catalog.EnabledNumbers, now)));

        await h.Authorizations.CreateAsync(token, null, null, false, default);
        await h.Authorizations.CreateAsync(token, Caller, null, false, default);
        Assert.Equal(
            (1, 0), (h.Index.CountLiveIdentify(now), h.Index.CountFreeForIdentify(h.Catalog.EnabledNumbers, now)));
    }
}
