using Backcall.Sip.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Transactions;

public class ConfirmedInvitesTests
{
    private static readonly TimeSpan T4 = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_key_is_absorbed_until_its_timer_I_ends()
    {
        var time = new FakeTimeProvider();
        var confirmed = new ConfirmedInvites(time);
        confirmed.Add("z9hG4bK-1|127.0.0.1:5070|INVITE", T4);

        time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(confirmed.Contains("z9hG4bK-1|127.0.0.1:5070|INVITE"));
        Assert.False(confirmed.Contains("z9hG4bK-2|127.0.0.1:5070|INVITE"));
        Assert.False(confirmed.Contains("z9hG4bK-1|127.0.0.1:5071|INVITE"));
        Assert.Equal(1, confirmed.Count);

        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(confirmed.Contains("z9hG4bK-1|127.0.0.1:5070|INVITE"));
        Assert.Equal(0, confirmed.Count);
    }

    [Fact]
    public void A_key_confirmed_again_keeps_its_later_end()
    {
        var time = new FakeTimeProvider();
        var confirmed = new ConfirmedInvites(time);
        confirmed.Add("a", T4);
        time.Advance(TimeSpan.FromSeconds(3));
        confirmed.Add("a", T4); // a new INVITE that reused the branch, answered and ACKed

        time.Advance(TimeSpan.FromSeconds(3)); // the first entry's end has passed
        Assert.True(confirmed.Contains("a"));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(confirmed.Contains("a"));
    }

    [Fact]
    public void Entries_leave_in_the_order_they_end()
    {
        var time = new FakeTimeProvider();
        var confirmed = new ConfirmedInvites(time);
        for (var i = 0; i < 1000; i++)
        {
            confirmed.Add($"branch-{i}", T4);
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        // 10 s of calls, one every 10 ms: those confirmed less than T4 ago are left (5.01 s to 9.99 s).
        Assert.Equal(499, confirmed.Count);
        Assert.False(confirmed.Contains("branch-500"));
        Assert.True(confirmed.Contains("branch-501"));
    }
}
