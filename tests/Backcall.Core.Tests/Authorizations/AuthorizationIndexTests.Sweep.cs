using Backcall.Core.Authorizations;
using Backcall.Core.Phones;

namespace Backcall.Core.Tests.Authorizations;

/// <summary>What the sweep reads from the index: the overdue, and what may leave memory.</summary>
public sealed partial class AuthorizationIndexTests
{
    private static readonly E164Phone Other = new("+79001234568");

    [Fact]
    public void Overdue_gives_the_pending_past_their_expiry_until_their_expiry_is_applied()
    {
        var index = new AuthorizationIndex();
        index.Upsert(Make(1, N1, User, lifetime: 60));
        index.Upsert(Make(2, N2, User, lifetime: 120));
        index.Upsert(Make(3, N1, Other, lifetime: 30));

        Assert.Empty(index.Overdue(Now.AddSeconds(29)));
        Assert.Equal([1L, 3L], index.Overdue(Now.AddSeconds(60)).Select(a => a.Id));

        // The expiry of 3 was written and applied; 1's write failed: the next sweep finds 1 again, not 3.
        index.Upsert(Make(3, N1, Other, AuthorizationStatus.Expired, lifetime: 30));
        Assert.Equal([1L], index.Overdue(Now.AddSeconds(61)).Select(a => a.Id));
        Assert.Equal([1L, 2L], index.Overdue(Now.AddSeconds(120)).Select(a => a.Id));
    }

    [Fact]
    public void An_expired_authorization_confirmed_later_leaves_memory_by_its_confirmation_time()
    {
        var index = new AuthorizationIndex();
        var a = Make(1, N1, User, lifetime: 60);
        index.Upsert(a);
        index.Upsert(a with { Status = AuthorizationStatus.Expired });

        // A call received before the expiry but judged after the sweep confirms it after all.
        index.Upsert(a with
        {
            Status = AuthorizationStatus.Ok,
            ConfirmedAt = Now.AddSeconds(59),
            ConfirmedPhone = User,
        });
        Assert.Equal(0, index.Evict(Now.AddSeconds(600), Now.AddSeconds(59)));
        Assert.True(index.TryGet(1, out _));
        Assert.Equal(1, index.Evict(Now.AddSeconds(600), Now.AddSeconds(60)));
        Assert.False(index.TryGet(1, out _));

        // Asked again, or after it came back from the database, the entry is not counted twice.
        Assert.Equal(0, index.Evict(Now.AddSeconds(600), Now.AddSeconds(600)));
        index.Upsert(a with { Status = AuthorizationStatus.Expired });
        Assert.Equal(1, index.Evict(Now.AddSeconds(600), Now.AddSeconds(600)));
    }

    [Fact]
    public void Evicting_never_drops_an_authorization_before_its_end_is_applied()
    {
        var index = new AuthorizationIndex();
        index.Upsert(Make(1, N1, User, lifetime: 60));
        Assert.Equal(0, index.Evict(Now.AddSeconds(10), Now.AddSeconds(600)));
        Assert.True(index.TryGet(1, out _));

        // Long past its expiry, but the sweep could not write it yet: it stays, so the next sweep finds it again
        // (dropped from memory, its row would stay pending in the database).
        Assert.Equal(0, index.Evict(Now.AddSeconds(700), Now.AddSeconds(600)));
        Assert.Equal([1L], index.Overdue(Now.AddSeconds(700)).Select(a => a.Id));

        index.Upsert(Make(1, N1, User, AuthorizationStatus.Expired, lifetime: 60));
        Assert.Equal(1, index.Evict(Now.AddSeconds(700), Now.AddSeconds(600)));
        Assert.False(index.TryGet(1, out _));
    }
}
