using Backcall.Core.Authorizations;
using Backcall.Core.Phones;

namespace Backcall.Core.Tests.Authorizations;

public sealed class PendingOnNumberTests
{
    private static readonly E164Phone Number = new("+79640000001");

    private static Authorization Make(long id, long token) => new()
    {
        Id = id,
        TokenId = token,
        UserPhone = new E164Phone("+7900123" + id.ToString("0000", System.Globalization.CultureInfo.InvariantCulture)),
        AuthNumber = Number,
        QrKey = "k" + id,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddMinutes(2),
        Status = AuthorizationStatus.Pending,
    };

    [Fact]
    public void Keeps_ids_newest_first_whatever_order_they_arrive_in_and_each_once()
    {
        // Another node's ids interleave with ours, and a reload upserts in any order.
        var pending = new PendingOnNumber();
        foreach (var id in new long[] { 5, 9, 2, 7, 9, 5 })
        {
            pending.Add(Make(id, token: id % 2));
        }

        Assert.Equal([9L, 7L, 5L, 2L], Enumerable.Range(0, pending.Count).Select(pending.Newest));
        Assert.Equal(2, pending.TokenCount); // odd ids are token 1's, even ones token 0's: a repeat counts once
    }

    [Fact]
    public void Counts_tokens_down_as_their_authorizations_leave_and_says_when_the_number_is_free()
    {
        var pending = new PendingOnNumber();
        pending.Add(Make(1, token: 10));
        pending.Add(Make(2, token: 10));
        pending.Add(Make(3, token: 20));

        Assert.False(pending.Remove(Make(3, token: 20)));
        Assert.Equal(1, pending.TokenCount);
        Assert.False(pending.Remove(Make(3, token: 20))); // gone already: nothing changes
        Assert.False(pending.Remove(Make(1, token: 10)));
        Assert.Equal(1, pending.TokenCount);
        Assert.Equal(2, pending.Newest(0));
        Assert.True(pending.Remove(Make(2, token: 10)));
        Assert.Equal(0, pending.TokenCount);
    }
}
