using Backcall.Core.Authorizations;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Core.Tests.Authorizations;

public sealed class PhoneRateLimiterTests
{
    [Fact]
    public void Allows_the_limit_in_a_sliding_window_and_says_exactly_when_to_retry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limiter = new PhoneRateLimiter(2, TimeSpan.FromMinutes(10), time);

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
        var limiter = new PhoneRateLimiter(5, TimeSpan.FromMinutes(1), time);
        for (var i = 0; i < 1000; i++)
        {
            limiter.TryAcquire($"+7900{i:D7}", out _);
        }

        Assert.Equal(1000, limiter.TrackedPhones);
        time.Advance(TimeSpan.FromMinutes(2));
        limiter.TryAcquire("+79990000000", out _);
        Assert.Equal(1, limiter.TrackedPhones);
    }
}
