using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;

namespace Backcall.Core.Tests.Calls;

public sealed class CallServiceTests
{
    private const string Number = "+79640000001";
    private const string User = "+79001234567";

    private static async Task<(CoreHarness H, Authorization A)> OneAuthorizationAsync()
    {
        var h = new CoreHarness();
        await h.Numbers.AddAsync(Number);
        var created = await h.Authorizations.CreateAsync(
            await h.TokenAsync(), User, "https://app.example/hook", false, default);
        var a = created.Authorization!;
        return (h, a);
    }

    [Fact]
    public async Task Call_from_the_user_confirms_and_queues_the_webhook()
    {
        var (h, a) = await OneAuthorizationAsync();
        await using var owned = h;
        h.Time.Advance(TimeSpan.FromSeconds(30));

        var result = await h.CallAsync(User, Number, "call-1");

        Assert.Equal(new CallResult(CallOutcome.Matched, a.Id), result);
        Assert.True(h.Index.TryGet(a.Id, out var confirmed));
        Assert.Equal(AuthorizationStatus.Ok, confirmed.Status);
        Assert.Equal(User, confirmed.ConfirmedPhone!.Value.Value);
        var stored = await h.Store.GetAuthorizationAsync(a.Id);
        Assert.Equal(AuthorizationStatus.Ok, stored!.Status);
        var delivery = Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
        Assert.Equal(("89001234567", true, a.Id), (delivery.Phone, delivery.Success, delivery.AuthorizationId));
        var log = Assert.Single(await h.Store.ListCallsAsync(new CallQuery()));
        Assert.Equal((CallOutcome.Matched, "call-1", (long?)a.Id), (log.Outcome, log.CallId, log.AuthorizationId));
    }

    [Fact]
    public async Task Same_call_id_twice_confirms_once()
    {
        var (h, a) = await OneAuthorizationAsync();
        await using var owned = h;
        Assert.False((await h.CallAsync(User, Number, "dup")).Repeated);
        var again = await h.CallAsync(User, Number, "dup");
        Assert.True(again.Repeated);
        Assert.Equal(CallOutcome.Matched, again.Outcome);
        Assert.Single(await h.Store.ListCallsAsync(new CallQuery()));
        Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
    }

    [Fact]
    public async Task A_second_call_after_confirmation_is_already_confirmed()
    {
        var (h, a) = await OneAuthorizationAsync();
        await using var owned = h;
        await h.CallAsync(User, Number);
        var second = await h.CallAsync(User, Number);
        Assert.Equal(CallOutcome.AlreadyConfirmed, second.Outcome);
        Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
    }

    [Fact]
    public async Task Racing_calls_confirm_exactly_once()
    {
        var (h, a) = await OneAuthorizationAsync();
        await using var owned = h;
        var results = await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => Task.Run(() => h.CallAsync(User, Number, "race-" + i))));
        Assert.Single(results, r => r.Outcome == CallOutcome.Matched);
        Assert.All(
            results.Where(r => r.Outcome != CallOutcome.Matched),
            r => Assert.Equal(CallOutcome.AlreadyConfirmed, r.Outcome));
        Assert.Single(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
    }

    [Fact]
    public async Task Call_from_another_phone_confirms_nothing_and_leaves_a_hint()
    {
        var (h, a) = await OneAuthorizationAsync();
        await using var owned = h;
        var result = await h.CallAsync("+79007654321", Number);
        Assert.Equal(CallOutcome.WrongCaller, result.Outcome);
        Assert.True(h.Index.TryGet(a.Id, out var after));
        Assert.Equal(AuthorizationStatus.Pending, after.Status);
        Assert.Equal("+7******4321", after.OtherCaller);
        Assert.Equal("+7******4321", (await h.Store.GetAuthorizationAsync(a.Id))!.OtherCaller);
        Assert.Empty(await h.Store.ListDeliveriesAsync(new DeliveryQuery()));
    }

    [Fact]
    public async Task Call_after_expiry_is_expired()
    {
        var (h, a) = await OneAuthorizationAsync();
        await using var owned = h;
        h.Time.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(CallOutcome.Expired, (await h.CallAsync(User, Number)).Outcome);
        Assert.Equal(AuthorizationStatus.Pending, (await h.Store.GetAuthorizationAsync(a.Id))!.Status);
    }

    [Fact]
    public async Task Call_to_an_idle_number_and_anonymous_calls_are_logged()
    {
        await using var h = new CoreHarness();
        Assert.Equal(CallOutcome.NoLiveAuthorization, (await h.CallAsync(User, Number)).Outcome);
        Assert.Equal(CallOutcome.Anonymous, (await h.CallAsync("anonymous", Number)).Outcome);
        var log = await h.Store.ListCallsAsync(new CallQuery());
        Assert.Equal([CallOutcome.Anonymous, CallOutcome.NoLiveAuthorization], log.Select(c => c.Outcome));
    }

    [Fact]
    public async Task Many_parallel_calls_on_a_few_numbers_confirm_each_authorization_once()
    {
        await using var h = new CoreHarness();
        await h.Numbers.AddAsync("+79640000001");
        await h.Numbers.AddAsync("+79640000002");
        var token = await h.TokenAsync(free: 1000);
        var auths = new List<Authorization>();
        for (var i = 0; i < 50; i++)
        {
            var created = await h.Authorizations.CreateAsync(token, $"890012340{i:D2}", null, false, default);
            auths.Add(created.Authorization!);
        }

        // Every user calls three times at once, with different call ids.
        var calls = auths
            .SelectMany(a => Enumerable.Range(0, 3).Select(_ => (a.UserPhone!.Value.Value, a.AuthNumber.Value)))
            .ToList();
        var results = await Task.WhenAll(calls.Select(c => Task.Run(() => h.CallAsync(c.Item1, c.Item2))));

        Assert.Equal(50, results.Count(r => r.Outcome == CallOutcome.Matched));
        Assert.Equal(100, results.Count(r => r.Outcome == CallOutcome.AlreadyConfirmed));
        Assert.Equal(
            50, results.Where(r => r.Outcome == CallOutcome.Matched).Select(r => r.AuthorizationId).Distinct().Count());
    }

    [Fact]
    public async Task Expiry_sweep_marks_and_reports_expired()
    {
        var (h, a) = await OneAuthorizationAsync();
        await using var owned = h;
        var expired = new List<long>();
        h.Expiry.Expired += x => expired.Add(x.Id);
        Assert.Equal(0, await h.Expiry.SweepAsync());
        h.Time.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(1, await h.Expiry.SweepAsync());
        Assert.Equal([a.Id], expired);
        Assert.Equal(AuthorizationStatus.Expired, (await h.Store.GetAuthorizationAsync(a.Id))!.Status);
    }

    [Fact]
    public async Task Working_set_reloads_after_restart()
    {
        var (h, a) = await OneAuthorizationAsync();
        await using var owned = h;
        var fresh = new AuthorizationIndex();
        var expiry = new ExpiryService(
            h.Store,
            h.Store,
            fresh,
            Microsoft.Extensions.Options.Options.Create(new AuthorizationOptions()),
            h.Time);
        Assert.Equal(1, await expiry.LoadWorkingSetAsync());
        Assert.True(fresh.TryGet(a.Id, out _));
        Assert.NotNull(fresh.FindByPair(a.AuthNumber, a.UserPhone!.Value));
    }
}
