using Backcall.Core.Authorizations;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Core.Tests.Authorizations;

public sealed class PhoneRateLimiterTests
{
    [Fact]
    public void Allows_the_limit_in_a_sliding_window_and_says_exactly_when_to_retry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limiter = new PhoneRateLimiter<string>(2, TimeSpan.FromMinutes(10), time);

        Assert.True(limiter.TryAcquire("+79001234567", out _));
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(limiter.TryAcquire("+79001234567", out _));
        Assert.False(limiter.TryAcquire("+79001234567", out var retry));
        Assert.Equal(TimeSpan.FromMinutes(6), retry);
        Assert.True(limiter.TryAcquire("+79001112233", out _));

        // The first one leaves the window: one more is allowed, not two.
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.True(limiter.TryAcquire("+79001234567", out _));
        Assert.False(limiter.TryAcquire("+79001234567", out retry));
        Assert.Equal(TimeSpan.FromMinutes(4), retry);
    }

    [Fact]
    public void Forgets_phones_whose_window_is_over()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limiter = new PhoneRateLimiter<string>(5, TimeSpan.FromMinutes(1), time);
        for (var i = 0; i < 1000; i++)
        {
            limiter.TryAcquire($"+7900{i:D7}", out _);
        }

        Assert.Equal(1000, limiter.TrackedKeys);
        time.Advance(TimeSpan.FromMinutes(2));
        limiter.TryAcquire("+79990000000", out _);
        Assert.Equal(1, limiter.TrackedKeys);
    }

    [Fact]
    public void Keeps_every_time_of_a_busy_phone_and_gives_back_the_newest_on_refund()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limiter = new PhoneRateLimiter<(long, string)>(9, TimeSpan.FromMinutes(10), time);
        var key = (5L, "+79001234567");
        for (var minute = 0; minute < 9; minute++)
        {
            Assert.True(limiter.TryAcquire(key, out _));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        // Nine requests at minutes 0-8; at minute 9 the one of minute 0 is still in the window.
        Assert.False(limiter.TryAcquire(key, out var retry));
        Assert.Equal(TimeSpan.FromMinutes(1), retry);
        Assert.True(limiter.TryAcquire((6L, "+79001234567"), out _));

        // A refund frees one slot at once; the oldest still decides when the next one after it is due.
        limiter.Refund(key);
        Assert.True(limiter.TryAcquire(key, out _));
        Assert.False(limiter.TryAcquire(key, out retry));
        Assert.Equal(TimeSpan.FromMinutes(1), retry);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limiter.TryAcquire(key, out _));
        Assert.False(limiter.TryAcquire(key, out retry));
        Assert.Equal(TimeSpan.FromMinutes(1), retry);
    }
}
