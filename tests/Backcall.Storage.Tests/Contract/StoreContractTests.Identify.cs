using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

/// <summary>
/// Identify mode (no phone): its lease holds the number for every phone. The store takes it only when no other
/// live lease is on the number, and takes no other lease on the number while it is live, on every node.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task An_identify_authorization_is_stored_without_phone_and_found_by_its_number()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var a = await CreateAsync(token, N1, null);

        Assert.Null(a.UserPhone);
        Assert.True(a.IsIdentify);
        Assert.Null((await Store.GetAuthorizationAsync(a.Id))!.UserPhone);
        Assert.Equal(new CallCandidates(null, a), await Store.FindCallCandidatesAsync(N1, P1));
        Assert.Equal(new CallCandidates(null, null), await Store.FindCallCandidatesAsync(N2, P1));
        Assert.Equal(a.Id, Assert.Single(await Store.LoadWorkingSetAsync(T0)).Id);
    }

    [Fact]
    public async Task A_second_app_cannot_lease_a_number_held_for_identify_mode_with_or_without_phone()
    {
        await Store.AddNumberAsync(N1, T0);
        var first = await TokenAsync();
        var second = await TokenAsync();
        await CreateAsync(first, N1, null);

        var at = T0.AddSeconds(10);
        const CreateAuthorizationError taken = CreateAuthorizationError.NumberTaken;
        Assert.Equal(taken, (await Store.CreateAuthorizationAsync(Request(second, N1, null, at))).Error);
        Assert.Equal(taken, (await Store.CreateAuthorizationAsync(Request(second, N1, P1, at))).Error);
        Assert.Equal(taken, (await Store.CreateAuthorizationAsync(Request(first, N1, P2, at))).Error);

        // Refused leases wrote nothing: no charge, no row.
        Assert.Equal(50, (await Store.GetTokenAsync(second.Id))!.FreeLeft);
        Assert.Single(await Store.ListAuthorizationsAsync(new AuthorizationQuery()));
    }

    [Fact]
    public async Task A_number_a_phone_waits_on_cannot_be_held_for_identify_mode()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        await CreateAsync(token, N1, P1);
        var identify = await Store.CreateAuthorizationAsync(Request(token, N1, null, T0.AddSeconds(1)));
        Assert.Equal(CreateAuthorizationError.NumberTaken, identify.Error);
    }

    [Fact]
    public async Task The_number_is_free_again_once_the_identify_authorization_is_confirmed_or_over()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var a = await CreateAsync(token, N1, null);
        var confirmed = await ReceiveAsync(Call(P1, N1), T0.AddSeconds(1));
        Assert.Equal((CallOutcome.Matched, a.Id), (confirmed.Outcome, confirmed.AuthorizationId));
        var stored = (await Store.GetAuthorizationAsync(a.Id))!;
        Assert.Equal((AuthorizationStatus.Ok, P1), (stored.Status, stored.ConfirmedPhone));

        // Confirmed: a phone may lease the number, and while it waits, identify mode may not.
        await CreateAsync(token, N1, P2, T0.AddSeconds(2));
        var identify = await Store.CreateAuthorizationAsync(Request(token, N1, null, T0.AddSeconds(3)));
        Assert.Equal(CreateAuthorizationError.NumberTaken, identify.Error);

        // Over (its lifetime ran out): identify mode may hold the number again.
        await CreateAsync(token, N1, null, T0.AddSeconds(2) + Lifetime);
    }

    [Fact]
    public async Task Nodes_racing_for_one_number_with_and_without_phone_hold_it_once()
    {
        await Store.AddNumberAsync(N1, T0);
        var first = await TokenAsync();
        var second = await TokenAsync();
        var other = AnotherNode();
        for (var round = 0; round < 6; round++)
        {
            // Each round starts after the one before is over; the racers ask for the number at the same moment.
            var at = T0 + (Lifetime * round);
            var identify = Request(first, N1, null, at);
            var withPhone = Request(second, N1, new E164Phone($"+7900000040{round}"), at);
            var identifyElsewhere = identify with { QrKey = identify.QrKey + "-b", TokenId = second.Id };
            var rival = round % 2 == 0 ? withPhone : identifyElsewhere;
            var results = await RaceAsync(
                () => Store.CreateAuthorizationAsync(identify), () => other.CreateAuthorizationAsync(rival));
            Assert.Single(results, r => r.Error == CreateAuthorizationError.None);
            Assert.Single(results, r => r.Error == CreateAuthorizationError.NumberTaken);
        }
    }

    [Fact]
    public async Task Two_callers_racing_for_one_identify_authorization_confirm_it_once_as_the_first()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var other = AnotherNode();
        var a = await CreateAsync(token, N1, null, webhook: "https://example.com/hook");
        var results = await RaceAsync(
            () => ReceiveAsync(Call(P1, N1), T0.AddSeconds(1)),
            () => ReceiveAsync(Call(P2, N1), T0.AddSeconds(1), other));

        var winner = Assert.Single(results, r => r.Outcome == CallOutcome.Matched);
        Assert.Single(results, r => r.Outcome == CallOutcome.NoLiveAuthorization);
        var stored = (await Store.GetAuthorizationAsync(a.Id))!;
        var delivery = Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal(stored.ConfirmedPhone!.Value.ContractPhone, delivery.Phone);
        Assert.Equal(winner.AuthorizationId, a.Id);
    }

    [Fact]
    public async Task A_node_that_has_not_heard_of_the_identify_authorization_still_confirms_it()
    {
        await Store.AddNumberAsync(N1, T0);
        var a = await CreateAsync(await TokenAsync(), N1, null);
        var result = await ReceiveAsync(Call(P2, N1), T0.AddSeconds(1), AnotherNode(), knowsNothing: true);
        Assert.Equal((CallOutcome.Matched, a.Id), (result.Outcome, result.AuthorizationId));
        Assert.Equal(P2, (await Store.GetAuthorizationAsync(a.Id))!.ConfirmedPhone);
    }
}
