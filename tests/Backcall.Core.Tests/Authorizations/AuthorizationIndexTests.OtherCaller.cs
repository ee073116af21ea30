using Backcall.Core.Authorizations;

namespace Backcall.Core.Tests.Authorizations;

public sealed partial class AuthorizationIndexTests
{
    [Fact]
    public void A_strangers_masked_number_lands_on_a_live_authorization_which_stays_findable_every_way()
    {
        var index = new AuthorizationIndex();
        index.Upsert(Make(1, N1, User));

        Assert.True(index.TryLeaveOtherCaller(1, "+7******4321", Now));

        Assert.True(index.TryGet(1, out var byId));
        Assert.Equal("+7******4321", byId.OtherCaller);
        Assert.Same(byId, index.FindByPair(N1, User));
        Assert.Same(byId, Assert.Single(index.PendingOn(N1, Now)));
    }

    [Fact]
    public void A_confirmation_that_came_first_is_never_undone_by_a_strangers_hint()
    {
        // The hint is read and written under the index's lock: a copy taken before the confirmation and written
        // back after it would make the confirmed authorization pending again in memory.
        var index = new AuthorizationIndex();
        index.Upsert(Make(1, N1, User));
        index.Upsert(Make(1, N1, User, AuthorizationStatus.Ok) with { ConfirmedAt = Now, ConfirmedPhone = User });

        Assert.False(index.TryLeaveOtherCaller(1, "+7******4321", Now));

        Assert.True(index.TryGet(1, out var after));
        Assert.Equal((AuthorizationStatus.Ok, (string?)null), (after.Status, after.OtherCaller));
    }

    [Fact]
    public void No_hint_lands_on_an_authorization_run_out_or_unknown()
    {
        var index = new AuthorizationIndex();
        index.Upsert(Make(1, N1, User, lifetime: 60));

        Assert.False(index.TryLeaveOtherCaller(1, "+7******4321", Now.AddSeconds(60)));
        Assert.False(index.TryLeaveOtherCaller(2, "+7******4321", Now));

        Assert.True(index.TryGet(1, out var after));
        Assert.Null(after.OtherCaller);
    }
}
