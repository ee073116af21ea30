using Backcall.Core.Authorizations;

namespace Backcall.Core.Tests.Authorizations;

public sealed class IdSetTests
{
    [Fact]
    public void Holds_each_id_once_from_one_to_many_and_back_to_empty()
    {
        var set = default(IdSet);
        Assert.True(set.IsEmpty);
        Assert.Empty(set.ToList());

        set.Add(7);
        set.Add(7);
        Assert.Equal([7L], set.ToList());
        Assert.False(set.Remove(8));
        Assert.True(set.Remove(7));

        set.Add(1);
        set.Add(2);
        set.Add(2);
        set.Add(3);
        Assert.Equal([1L, 2L, 3L], set.ToList().Order());
        Assert.False(set.Remove(2));
        Assert.False(set.Remove(1));
        Assert.Equal([3L], set.ToList());
        Assert.True(set.Remove(3));
        Assert.True(set.IsEmpty);
    }
}
