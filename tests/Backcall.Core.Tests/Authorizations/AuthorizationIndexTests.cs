using Backcall.Core.Authorizations;
using Backcall.Core.Phones;

namespace Backcall.Core.Tests.Authorizations;

public sealed partial class AuthorizationIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly E164Phone User = new("+79001234567");
    private static readonly E164Phone N1 = new("+79640000001");
    private static readonly E164Phone N2 = new("+79640000002");

    private static Authorization Make(
        long id,
        E164Phone number,
        E164Phone user,
        AuthorizationStatus status = AuthorizationStatus.Pending,
        int lifetime = 120) =>
        new()
        {
            Id = id,
            TokenId = 1,
            UserPhone = user,
            AuthNumber = number,
            QrKey = "k" + id,
            CreatedAt = Now,
            ExpiresAt = Now.AddSeconds(lifetime),
            Status = status,
        };

    [Fact]
    public void Never_reserves_a_number_twice_for_the_same_phone()
    {
        var index = new AuthorizationIndex();
        var first = index.Reserve([N1, N2], User, Now);
        var second = index.Reserve([N1, N2], User, Now);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Null(index.Reserve([N1, N2], User, Now));
    }

    [Fact]
    public void One_number_serves_many_phones_at_once()
    {
        var index = new AuthorizationIndex();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(N1, index.Reserve([N1], new E164Phone($"+7900100{i:D4}"), Now));
        }
    }

    [Fact]
    public void A_live_authorization_blocks_its_pair_until_it_expires()
    {
        var index = new AuthorizationIndex();
        index.Upsert(Make(1, N1, User));
        Assert.Null(index.Reserve([N1], User, Now));
        Assert.Null(index.Reserve([N1], User, Now.AddSeconds(119)));
        Assert.Equal(N1, index.Reserve([N1], User, Now.AddSeconds(120)));
    }

    [Fact]
    public void Released_reservation_frees_the_number()
    {
        var index = new AuthorizationIndex();
        Assert.Equal(N1, index.Reserve([N1], User, Now));
        index.Release(N1, User);
        Assert.Equal(N1, index.Reserve([N1], User, Now));
    }

    [Fact]
    public void Allocation_is_uniform_over_free_numbers()
    {
        var index = new AuthorizationIndex();
        E164Phone[] pool = [.. Enumerable.Range(1, 4).Select(i => new E164Phone($"+7964000000{i}"))];
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 4000; i++)
        {
            var n = index.Reserve(pool, new E164Phone($"+7900{i:D7}"), Now)!.Value;
            counts[n.Value] = counts.GetValueOrDefault(n.Value) + 1;
        }

        // 1000 expected each; a 20% band fails a broken picker (e.g. always the first) and passes chance.
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void Pending_on_a_number_lists_only_live_ones()
    {
        var index = new AuthorizationIndex();
        index.Upsert(Make(1, N1, User));
        index.Upsert(Make(2, N1, new E164Phone("+79001112233"), lifetime: 10));
        index.Upsert(Make(3, N2, User));
        Assert.Equal([1L, 2L], index.PendingOn(N1, Now).Select(a => a.Id).Order());
        Assert.Equal([1L], index.PendingOn(N1, Now.AddSeconds(30)).Select(a => a.Id));
    }

    [Fact]
    public void Confirmed_leaves_pending_but_stays_findable_until_evicted()
    {
        var index = new AuthorizationIndex();
        var a = Make(1, N1, User);
        index.Upsert(a);
        index.Upsert(
            a with { Status = AuthorizationStatus.Ok, ConfirmedAt = Now.AddSeconds(5), ConfirmedPhone = User });
        Assert.Empty(index.PendingOn(N1, Now));
        Assert.Equal(AuthorizationStatus.Ok, index.FindByPair(N1, User)!.Status);

        Assert.Equal(0, index.Evict(Now.AddSeconds(10), Now));
        Assert.Equal(1, index.Evict(Now.AddSeconds(700), Now.AddSeconds(600)));
        Assert.False(index.TryGet(1, out _));
        Assert.Null(index.FindByPair(N1, User));
    }

    [Fact]
    public void Status_reads_expiry_from_the_clock()
    {
        var a = Make(1, N1, User);
        Assert.Equal(AuthorizationStatus.Pending, a.StatusAt(Now.AddSeconds(119)));
        Assert.Equal(AuthorizationStatus.Expired, a.StatusAt(Now.AddSeconds(120)));
    }

    [Fact]
    public void Pending_on_a_busy_number_can_be_capped_to_the_newest()
    {
        var index = new AuthorizationIndex();
        for (var i = 1; i <= 500; i++)
        {
            index.Upsert(Make(i, N1, new E164Phone($"+7900{i:D7}")));
        }

        var newest = index.PendingOn(N1, Now, max: 8);
        Assert.Equal(Enumerable.Range(493, 8).Select(i => (long)i), newest.Select(a => a.Id).Order());
        Assert.Equal(500, index.PendingOn(N1, Now).Count);
    }

    [Fact]
    public void A_phones_pending_authorizations_are_those_live_on_the_numbers_asked_about()
    {
        var index = new AuthorizationIndex();
        var n3 = new E164Phone("+79640000003");
        index.Upsert(Make(1, N1, User));
        index.Upsert(Make(2, N2, User, AuthorizationStatus.Ok));
        index.Upsert(Make(3, n3, User, lifetime: 10));
        index.Upsert(Make(4, N2, new E164Phone("+79009999999")));

        Assert.Equal([1L, 3L], index.PendingOf(User, [N1, N2, n3], Now).Select(a => a.Id).Order());
        Assert.Equal([1L], index.PendingOf(User, [N1, N2, n3], Now.AddSeconds(10)).Select(a => a.Id));
        Assert.Empty(index.PendingOf(User, [N2], Now));
    }
}
