using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Creation_charges_free_requests_first_then_the_balance_down_to_the_limit()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync(free: 1, price: 2m, limit: 3m);
        await Store.UpdateTokenAsync(token.Id, new TokenChange { TopUp = 1m });

        var first = await CreateAsync(token, N1, P1);
        Assert.True(first.Id > 100000);
        Assert.Equal((0, 1m), await FreeAndBalanceAsync(token));

        await CreateAsync(token, N1, new("+79000000002"));
        Assert.Equal((0, -1m), await FreeAndBalanceAsync(token));
        await CreateAsync(token, N1, new("+79000000003"));
        Assert.Equal((0, -3m), await FreeAndBalanceAsync(token));

        // One more would take the balance to -5, past the limit of 3: the 402 path, nothing charged.
        var refused = await Store.CreateAuthorizationAsync(Request(token, N1, new("+79000000004")));
        Assert.Equal(CreateAuthorizationError.QuotaExhausted, refused.Error);
        Assert.Null(refused.Authorization);
        Assert.Equal((0, -3m), await FreeAndBalanceAsync(token));
        Assert.Equal(3, (await Store.GetTokenAsync(token.Id))!.Used);
        Assert.Equal(3, (await Store.ListNumbersAsync()).Single().Used);
        Assert.Equal(3, (await Store.ListAuthorizationsAsync(new AuthorizationQuery(TokenId: token.Id))).Count);
    }

    [Fact]
    public async Task A_disabled_or_unknown_token_creates_nothing_and_is_not_charged()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync(free: 5);
        await Store.UpdateTokenAsync(token.Id, new TokenChange { Disabled = true });

        var disabled = await Store.CreateAuthorizationAsync(Request(token, N1, P1));
        Assert.Equal(CreateAuthorizationError.TokenDisabled, disabled.Error);
        var unknown = await Store.CreateAuthorizationAsync(Request(token with { Id = token.Id + 1000 }, N1, P1));
        Assert.Equal(CreateAuthorizationError.TokenDisabled, unknown.Error);
        Assert.Equal(5, (await Store.GetTokenAsync(token.Id))!.FreeLeft);
        Assert.Empty(await Store.ListAuthorizationsAsync(new AuthorizationQuery()));
    }

    [Fact]
    public async Task Two_nodes_racing_for_one_number_and_phone_get_one_authorization()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync(free: 10);
        var other = AnotherNode();
        for (var round = 0; round < 5; round++)
        {
            var phone = new E164Phone($"+7900000010{round}");
            var results = await RaceAsync(
                () => Store.CreateAuthorizationAsync(Request(token, N1, phone)),
                () => other.CreateAuthorizationAsync(Request(token, N1, phone)));
            Assert.Single(results, r => r.Error == CreateAuthorizationError.None);
            Assert.Single(results, r => r.Error == CreateAuthorizationError.NumberTaken);
        }

        // The loser's charge and row were rolled back with it.
        Assert.Equal(5, (await Store.GetTokenAsync(token.Id))!.FreeLeft);
        Assert.Equal(5, (await Store.ListAuthorizationsAsync(new AuthorizationQuery())).Count);
        Assert.Equal(5, (await Store.ListNumbersAsync()).Single().Used);
    }

    [Fact]
    public async Task A_lease_is_taken_over_only_after_its_holder_expired_or_was_confirmed()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var held = await CreateAsync(token, N1, P1);

        Assert.Equal(
            CreateAuthorizationError.NumberTaken,
            (await Store.CreateAuthorizationAsync(Request(token, N1, P1, T0.AddMinutes(1)))).Error);

        // Another phone on the same number, or the same phone on another number, is a different lease.
        await CreateAsync(token, N1, P2, T0.AddMinutes(1));
        await Store.AddNumberAsync(N2, T0);
        await CreateAsync(token, N2, P1, T0.AddMinutes(1));

        // Expired by the clock (no sweep has run): free again.
        var next = await CreateAsync(token, N1, P1, held.ExpiresAt);
        Assert.NotEqual(held.Id, next.Id);

        // Confirmed: free again before its expiry.
        Assert.Equal(
            CallOutcome.Matched, (await Store.RecordCallAsync(Matched(next, next.CreatedAt.AddSeconds(5)))).Outcome);
        await CreateAsync(token, N1, P1, next.CreatedAt.AddSeconds(6));
    }

    [Fact]
    public async Task Authorizations_are_found_by_id_and_qr_key_and_listed_with_filters()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var other = await TokenAsync();
        var a = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook", notifyExpired: true);
        var b = await CreateAsync(other, N1, P2);

        Assert.Equal(a, await Store.GetAuthorizationAsync(a.Id));
        Assert.Equal(a, await AnotherNode().GetAuthorizationByQrKeyAsync(a.QrKey));
        Assert.Equal(
            ("https://example.com/hook", true, AuthorizationStatus.Pending, T0 + Lifetime),
            (a.Webhook, a.NotifyExpired, a.Status, a.ExpiresAt));
        Assert.Null(await Store.GetAuthorizationAsync(b.Id + 1));
        Assert.Null(await Store.GetAuthorizationByQrKeyAsync("nope"));

        Assert.Equal([b.Id, a.Id], (await Store.ListAuthorizationsAsync(new AuthorizationQuery())).Select(x => x.Id));
        Assert.Equal(
            [a.Id], (await Store.ListAuthorizationsAsync(new AuthorizationQuery(Phone: P1.Value))).Select(x => x.Id));
        Assert.Equal(
            [b.Id], (await Store.ListAuthorizationsAsync(new AuthorizationQuery(TokenId: other.Id))).Select(x => x.Id));
        Assert.Equal(
            [a.Id], (await Store.ListAuthorizationsAsync(new AuthorizationQuery(BeforeId: b.Id))).Select(x => x.Id));
        Assert.Equal([b.Id], (await Store.ListAuthorizationsAsync(new AuthorizationQuery(Limit: 1))).Select(x => x.Id));
        await Store.RecordCallAsync(Matched(a, T0.AddSeconds(3)));
        var ok = await Store.ListAuthorizationsAsync(new AuthorizationQuery(Status: AuthorizationStatus.Ok));
        Assert.Equal([a.Id], ok.Select(x => x.Id));
    }

    [Fact]
    public async Task The_working_set_is_every_pending_and_the_recently_finished()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var confirmedLongAgo = await CreateAsync(token, N1, new("+79000000001"));
        await Store.RecordCallAsync(Matched(confirmedLongAgo, T0.AddSeconds(1)));
        var expiredLongAgo = await CreateAsync(token, N1, new("+79000000002"), lifetime: TimeSpan.FromMinutes(1));
        var later = T0.AddHours(2);
        await SweepAsync(later);
        var confirmedRecently = await CreateAsync(token, N1, new("+79000000003"), later);
        await Store.RecordCallAsync(Matched(confirmedRecently, later.AddSeconds(1)));
        var pending = await CreateAsync(token, N1, new("+79000000004"), later);
        var pendingOld = await CreateAsync(token, N1, new("+79000000005"), T0, lifetime: TimeSpan.FromDays(1));

        var set = await Store.LoadWorkingSetAsync(later.AddMinutes(-10));
        Assert.Equal(new[] { confirmedRecently.Id, pending.Id, pendingOld.Id }.Order(), set.Select(a => a.Id));
        Assert.DoesNotContain(set, a => a.Id == confirmedLongAgo.Id || a.Id == expiredLongAgo.Id);
        Assert.Equal(AuthorizationStatus.Ok, set.Single(a => a.Id == confirmedRecently.Id).Status);
    }

    private async Task<(int Free, decimal Balance)> FreeAndBalanceAsync(Core.Tokens.Token token)
    {
        var current = (await Store.GetTokenAsync(token.Id))!;
        return (current.FreeLeft, current.Balance);
    }
}
