using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;

namespace Backcall.Core.Tests.Authorizations;

/// <summary>One app can neither deny service to another nor learn of another's calls.</summary>
public sealed class TenantIsolationTests
{
    private const string Phone = "89001234567";

    [Fact]
    public async Task Requests_refused_for_quota_take_no_slot_of_the_phone()
    {
        await using var h = new CoreHarness(new AuthorizationOptions { PerPhoneLimit = 2, PerPhoneTotalLimit = 3 });
        await h.Numbers.AddAsync("+79640000001");
        await h.Numbers.AddAsync("+79640000002");
        var broke = await h.TokenAsync(free: 0, price: 1m, limit: 0m);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(
                CreateFailure.QuotaExhausted,
                (await h.Authorizations.CreateAsync(broke, Phone, null, false, default)).Failure);
        }

        // The phone is as fresh as before for every app, the refused one included once it can pay.
        Assert.NotNull(
            (await h.Authorizations.CreateAsync(await h.TokenAsync(), Phone, null, false, default)).Authorization);
        await h.Tokens.TopUpAsync(broke.Id, 10m);
        Assert.NotNull((await h.Authorizations.CreateAsync(broke, Phone, null, false, default)).Authorization);
    }

    [Fact]
    public async Task The_per_phone_limit_counts_per_token_under_a_higher_cap_across_tokens()
    {
        await using var h = new CoreHarness(new AuthorizationOptions { PerPhoneLimit = 2, PerPhoneTotalLimit = 3 });
        for (var i = 1; i <= 5; i++)
        {
            await h.Numbers.AddAsync($"+7964000000{i}");
        }

        var a = await h.TokenAsync();
        var b = await h.TokenAsync();
        var c = await h.TokenAsync();
        Assert.NotNull((await h.Authorizations.CreateAsync(a, Phone, null, false, default)).Authorization);
        Assert.NotNull((await h.Authorizations.CreateAsync(a, Phone, null, false, default)).Authorization);
        Assert.Equal(
            CreateFailure.PhoneRateLimited,
            (await h.Authorizations.CreateAsync(a, Phone, null, false, default)).Failure);

        // Token a's limit is its own: b still gets one, and then the cap of all tokens together holds.
        Assert.NotNull((await h.Authorizations.CreateAsync(b, Phone, null, false, default)).Authorization);
        var capped = await h.Authorizations.CreateAsync(c, Phone, null, false, default);
        Assert.Equal(CreateFailure.PhoneRateLimited, capped.Failure);
        Assert.True(capped.RetryAfter > TimeSpan.Zero);

        h.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.NotNull((await h.Authorizations.CreateAsync(c, Phone, null, false, default)).Authorization);
    }

    [Fact]
    public async Task A_newer_request_supersedes_the_tokens_older_pending_one_and_frees_its_number()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        var token = await h.TokenAsync();
        var first = (await h.Authorizations.CreateAsync(token, Phone, null, false, default)).Authorization!;

        // One number only: the user taps twice and is not locked out; the second takes the freed number.
        h.Time.Advance(TimeSpan.FromSeconds(10));
        var second = (await h.Authorizations.CreateAsync(token, Phone, null, false, default)).Authorization!;
        Assert.Equal(first.AuthNumber, second.AuthNumber);
        var old = (await h.Authorizations.FindAsync(token, first.Id, default))!;
        Assert.Equal(AuthorizationStatus.Expired, old.StatusAt(h.Time.GetUtcNow()));
        Assert.Equal(AuthorizationStatus.Expired, (await h.Store.GetAuthorizationAsync(first.Id))!.Status);

        // The call now confirms the newer one; the older stays expired.
        Assert.Equal(new CallResult(CallOutcome.Matched, second.Id), await h.CallAsync("+79001234567", "+79640000001"));
        Assert.Equal(AuthorizationStatus.Expired, (await h.Store.GetAuthorizationAsync(first.Id))!.Status);

        // Another app's pending authorization of the phone is never superseded.
        var other = await h.TokenAsync();
        await h.Numbers.AddAsync("+79640000002");
        var theirs = (await h.Authorizations.CreateAsync(other, Phone, null, false, default)).Authorization!;
        Assert.NotNull((await h.Authorizations.CreateAsync(token, Phone, null, false, default)).Authorization);
        Assert.Equal(AuthorizationStatus.Pending, (await h.Store.GetAuthorizationAsync(theirs.Id))!.Status);
    }

    [Fact]
    public async Task The_other_caller_hint_is_given_only_when_the_number_waits_for_one_app()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        var a = await h.TokenAsync();
        var b = await h.TokenAsync();
        var mine = (await h.Authorizations.CreateAsync(a, "89001112233", null, false, default)).Authorization!;
        var theirs = (await h.Authorizations.CreateAsync(b, "89004445566", null, false, default)).Authorization!;

        Assert.Equal(CallOutcome.WrongCaller, (await h.CallAsync("+79990001122", "+79640000001")).Outcome);
        Assert.Null((await h.Authorizations.FindAsync(a, mine.Id, default))!.OtherCaller);
        Assert.Null((await h.Authorizations.FindAsync(b, theirs.Id, default))!.OtherCaller);
        Assert.Null((await h.Store.GetAuthorizationAsync(mine.Id))!.OtherCaller);

        // Once only one app's users wait on the number, they learn of a stranger's call.
        await h.CallAsync("+79004445566", "+79640000001");
        await h.CallAsync("+79990001122", "+79640000001");
        Assert.Equal("+7******1122", (await h.Authorizations.FindAsync(a, mine.Id, default))!.OtherCaller);
    }

    [Fact]
    public void A_token_holds_at_most_the_configured_numbers_for_one_phone_at_once()
    {
        var index = new AuthorizationIndex();
        var now = DateTimeOffset.UnixEpoch;
        E164Phone[] pool = [new("+79640000001"), new("+79640000002"), new("+79640000003"), new("+79640000004")];
        var phone = new E164Phone("+79001234567");
        Assert.NotNull(index.Reserve(pool, phone, now, 1, [], 2, out var capped));
        Assert.NotNull(index.Reserve(pool, phone, now, 1, [], 2, out capped));
        Assert.Null(index.Reserve(pool, phone, now, 1, [], 2, out capped));
        Assert.True(capped);

        // Another token is not held back by the first one's requests.
        Assert.NotNull(index.Reserve(pool, phone, now, 2, [], 2, out capped));
        Assert.False(capped);
    }
}
