using Backcall.Core.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Core.Tests.Tokens;

public sealed class RefusalCounterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Refusals_are_counted_per_token_and_kind_since_a_moment()
    {
        var time = new FakeTimeProvider(T0);
        var counter = new RefusalCounter(time);
        counter.Record(1, Refusal.Quota);
        counter.Record(1, Refusal.PoolFull);
        time.Advance(TimeSpan.FromMinutes(10));
        counter.Record(1, Refusal.PoolFull);
        counter.Record(2, Refusal.RateLimited);

        Assert.Equal([new RefusalCount(1, 1, 0, 2), new RefusalCount(2, 0, 1, 0)], counter.Since(T0));
        Assert.Equal([new RefusalCount(1, 0, 0, 1), new RefusalCount(2, 0, 1, 0)], counter.Since(T0.AddMinutes(5)));
    }

    [Fact]
    public void A_day_is_kept_and_older_minutes_are_dropped()
    {
        var time = new FakeTimeProvider(T0);
        var counter = new RefusalCounter(time);
        counter.Record(7, Refusal.Quota);
        time.Advance(TimeSpan.FromHours(25));
        counter.Record(8, Refusal.Quota);

        // Even asked for everything, the first refusal is gone: memory stays bounded by a day of minutes.
        Assert.Equal([new RefusalCount(8, 1, 0, 0)], counter.Since(DateTimeOffset.MinValue.AddYears(2000)));
    }
}
