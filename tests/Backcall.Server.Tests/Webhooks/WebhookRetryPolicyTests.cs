using Backcall.Core.Webhooks;
using Backcall.Server.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Server.Tests.Webhooks;

public sealed class WebhookRetryPolicyTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_default_backoff_doubles_from_10_s_up_to_an_hour()
    {
        var policy = Policy(new WebhookOptions(), new FakeTimeProvider(Start));
        var delays = Enumerable.Range(1, 12).Select(policy.Backoff).ToArray();
        Assert.Equal(
            [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600],
            delays.Select(d => (int)d.TotalSeconds).ToArray());
    }

    [Fact]
    public void With_defaults_a_failing_delivery_is_retried_for_at_least_a_day_then_marked_failed()
    {
        var time = new FakeTimeProvider(Start);
        var policy = Policy(new WebhookOptions(), time, new FixedRandom(0.999));
        var delivery = Delivery(time.GetUtcNow());
        var attempts = new List<DateTimeOffset>();
        while (true)
        {
            attempts.Add(time.GetUtcNow());
            var record = policy.Decide(
                delivery, time.GetUtcNow(), new WebhookAttemptResult(503, "HTTP 503", TimeSpan.FromMilliseconds(5)));
            delivery = delivery with { Attempts = delivery.Attempts + 1 };
            if (record.NewStatus == WebhookDeliveryStatus.Failed)
            {
                Assert.Null(record.NextAttemptAt);
                Assert.Contains("gave up after", record.Error, StringComparison.Ordinal);
                break;
            }

            Assert.Equal(WebhookDeliveryStatus.Pending, record.NewStatus);
            var wait = record.NextAttemptAt!.Value - time.GetUtcNow();

            // Jitter only lengthens, by at most 20 %; nothing waits more than the maximum plus jitter.
            Assert.InRange(wait, policy.Backoff(delivery.Attempts), policy.Backoff(delivery.Attempts) * 1.2);
            time.SetUtcNow(record.NextAttemptAt.Value);
        }

        Assert.True(attempts[^1] - Start >= TimeSpan.FromDays(1));
        Assert.True(attempts[^1] - Start < TimeSpan.FromDays(1) + TimeSpan.FromHours(1.2));
        Assert.InRange(attempts.Count, 25, 40);
    }

    [Fact]
    public void Without_jitter_from_the_random_source_the_waits_are_the_nominal_schedule()
    {
        var time = new FakeTimeProvider(Start);
        var policy = Policy(new WebhookOptions(), time, new FixedRandom(0));
        var record = policy.Decide(
            Delivery(Start) with { Attempts = 2 },
            Start,
            new WebhookAttemptResult(null, "connection refused", TimeSpan.Zero));
        Assert.Equal(Start + TimeSpan.FromSeconds(40), record.NextAttemptAt);
        Assert.Equal("connection refused", record.Error);
        Assert.Null(record.HttpStatus);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(299)]
    public void A_2xx_is_delivered(int status)
    {
        var time = new FakeTimeProvider(Start);
        var record = Policy(new WebhookOptions(), time)
            .Decide(Delivery(Start), Start, new WebhookAttemptResult(status, null, TimeSpan.FromMilliseconds(12)));
        Assert.Equal(WebhookDeliveryStatus.Delivered, record.NewStatus);
        Assert.Null(record.Error);
        Assert.Equal(status, record.HttpStatus);
        Assert.Equal(TimeSpan.FromMilliseconds(12), record.Latency);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(500)]
    public void Other_answers_are_retried(int status)
    {
        var time = new FakeTimeProvider(Start);
        var record = Policy(new WebhookOptions(), time, new FixedRandom(0))
            .Decide(Delivery(Start), Start, new WebhookAttemptResult(status, null, TimeSpan.Zero));
        Assert.Equal(WebhookDeliveryStatus.Pending, record.NewStatus);
        Assert.Equal(Start + TimeSpan.FromSeconds(10), record.NextAttemptAt);
    }

    [Fact]
    public void A_410_stops_the_delivery()
    {
        var time = new FakeTimeProvider(Start);
        var record = Policy(new WebhookOptions(), time)
            .Decide(Delivery(Start), Start, new WebhookAttemptResult(410, "HTTP 410 Gone", TimeSpan.Zero));
        Assert.Equal(WebhookDeliveryStatus.Failed, record.NewStatus);
        Assert.Null(record.NextAttemptAt);
        Assert.Contains("410", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_permanent_refusal_is_not_retried()
    {
        var time = new FakeTimeProvider(Start);
        var record = Policy(new WebhookOptions(), time).Decide(
            Delivery(Start),
            Start,
            new WebhookAttemptResult(null, "refused before connecting: reserved", TimeSpan.Zero, Permanent: true));
        Assert.Equal(WebhookDeliveryStatus.Failed, record.NewStatus);
        Assert.Null(record.NextAttemptAt);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void Retry_after_is_honoured_on_429_and_503(int status)
    {
        var time = new FakeTimeProvider(Start);
        var policy = Policy(new WebhookOptions(), time, new FixedRandom(0.5));
        var record = policy.Decide(
            Delivery(Start), Start, new WebhookAttemptResult(status, null, TimeSpan.Zero, TimeSpan.FromSeconds(90)));
        Assert.Equal(Start + TimeSpan.FromSeconds(90), record.NextAttemptAt);

        // Bounded: not sooner than the first delay, not later than the maximum.
        var now = policy.Decide(
            Delivery(Start), Start, new WebhookAttemptResult(status, null, TimeSpan.Zero, TimeSpan.Zero));
        Assert.Equal(Start + TimeSpan.FromSeconds(10), now.NextAttemptAt);
        var inThreeDays = policy.Decide(
            Delivery(Start), Start, new WebhookAttemptResult(status, null, TimeSpan.Zero, TimeSpan.FromDays(3)));
        Assert.Equal(Start + TimeSpan.FromHours(1), inThreeDays.NextAttemptAt);
    }

    [Fact]
    public void Retry_after_is_ignored_on_other_statuses()
    {
        var time = new FakeTimeProvider(Start);
        var record = Policy(new WebhookOptions(), time, new FixedRandom(0)).Decide(
            Delivery(Start), Start, new WebhookAttemptResult(500, null, TimeSpan.Zero, TimeSpan.FromSeconds(90)));
        Assert.Equal(Start + TimeSpan.FromSeconds(10), record.NextAttemptAt);
    }

    [Fact]
    public void The_schedule_is_configurable()
    {
        var time = new FakeTimeProvider(Start);
        var options = new WebhookOptions
        {
            FirstRetryDelay = TimeSpan.FromMilliseconds(200),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
            RetryFor = TimeSpan.FromSeconds(5),
            Jitter = 0,
        };
        var policy = Policy(options, time);
        Assert.Equal(
            [200, 400, 800, 1000, 1000],
            Enumerable.Range(1, 5).Select(n => (int)policy.Backoff(n).TotalMilliseconds).ToArray());

        time.Advance(TimeSpan.FromSeconds(5));
        var last = policy.Decide(
            Delivery(Start) with { Attempts = 7 },
            time.GetUtcNow(),
            new WebhookAttemptResult(500, null, TimeSpan.Zero));
        Assert.Equal(WebhookDeliveryStatus.Failed, last.NewStatus);
    }

    private static WebhookRetryPolicy Policy(WebhookOptions options, TimeProvider time, Random? random = null) =>
        new(Options.Create(options), time, random ?? new FixedRandom(0));

    private static WebhookDelivery Delivery(DateTimeOffset created) => new()
    {
        Id = "msg_test",
        AuthorizationId = 100001,
        TokenId = 1,
        Url = "https://app.example.com/cb",
        Success = true,
        Phone = "89001234567",
        CreatedAt = created,
        NextAttemptAt = created,
    };

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
