using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_redirected_call_changes_nothing_even_where_its_pair_waits_and_keeps_the_forwarding_number()
    {
        await Store.AddNumberAsync(N1, T0);
        var a = await CreateAsync(await TokenAsync(), N1, P1);
        var forwarded = Call(P1, N1, "fwd") with { Redirection = new CallRedirection("+79005556677", Allowed: false) };

        var result = await Store.RecordCallAsync(CallRules.ForRedirected(forwarded, T0.AddSeconds(1)));

        Assert.Equal(
            (CallRecordStatus.Recorded, CallOutcome.Redirected, (long?)null, (Authorization?)null),
            (result.Status, result.Outcome, result.AuthorizationId, result.Confirmed));
        Assert.Equal(AuthorizationStatus.Pending, (await Store.GetAuthorizationAsync(a.Id))!.Status);
        var logged = Assert.Single(await Store.ListCallsAsync(new CallQuery(Outcome: CallOutcome.Redirected)));
        Assert.Equal(("fwd", "+79005556677"), (logged.CallId, logged.RedirectedFrom));
        Assert.Null(Assert.Single(await Store.ListCallsAsync(new CallQuery())).AuthorizationId);
    }
}
