using Backcall.Core.Calls;
using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

/// <summary>What the operator console asks: lists between two moments, figures per token.</summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Authorizations_are_listed_between_two_moments()
    {
        await Store.AddNumberAsync(N1, T0);
        await Store.AddNumberAsync(N2, T0);
        var token = await TokenAsync();
        var early = await CreateAsync(token, N1, P1, T0);
        var late = await CreateAsync(token, N2, P2, T0.AddDays(1));

        var untilADay = await Store.ListAuthorizationsAsync(new AuthorizationQuery(Until: T0.AddDays(1)));
        Assert.Equal([early.Id], untilADay.Select(a => a.Id));
        var sinceAnHour = await Store.ListAuthorizationsAsync(new AuthorizationQuery(Since: T0.AddHours(1)));
        Assert.Equal([late.Id], sinceAnHour.Select(a => a.Id));
        Assert.Equal(
            [late.Id, early.Id],
            (await Store.ListAuthorizationsAsync(new AuthorizationQuery(Since: T0, Until: T0.AddDays(2))))
                .Select(a => a.Id));
        Assert.Empty(await Store.ListAuthorizationsAsync(new AuthorizationQuery(Since: T0.AddDays(2))));
    }

    [Fact]
    public async Task Calls_are_listed_between_two_moments()
    {
        await Store.RecordCallAsync(Unmatched(Call(P1, N1, "early"), T0, CallOutcome.NoLiveAuthorization));
        await Store.RecordCallAsync(Unmatched(Call(P1, N1, "late"), T0.AddDays(1), CallOutcome.NoLiveAuthorization));

        Assert.Equal(
            ["early"], (await Store.ListCallsAsync(new CallQuery(Until: T0.AddDays(1)))).Select(c => c.CallId));
        Assert.Equal(
            ["late"], (await Store.ListCallsAsync(new CallQuery(Since: T0.AddMinutes(1)))).Select(c => c.CallId));
        Assert.Equal(["late", "early"], (await Store.ListCallsAsync(new CallQuery(Since: T0))).Select(c => c.CallId));
    }

    [Fact]
    public async Task Token_statistics_count_each_token_s_authorizations_by_their_end()
    {
        await Store.AddNumberAsync(N1, T0);
        await Store.AddNumberAsync(N2, T0);
        var first = await TokenAsync();
        var second = await TokenAsync();
        var confirmed = await CreateAsync(first, N1, P1, T0);
        await Store.RecordCallAsync(Matched(confirmed, T0.AddSeconds(5)));
        await CreateAsync(first, N2, P1, T0.AddSeconds(1));
        await CreateAsync(second, N1, P2, T0.AddSeconds(2));
        await CreateAsync(second, N2, P2, T0.AddMinutes(-30));
        await SweepAsync(T0.AddMinutes(10));

        var stats = await Store.GetTokenStatisticsAsync(T0);
        Assert.Equal(
            [new TokenStatistics(first.Id, 2, 1, 1), new TokenStatistics(second.Id, 1, 0, 1)],
            stats);
    }
}
