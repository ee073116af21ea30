using System.Globalization;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Turns an attempt's result into the delivery's next state: delivered on 2xx; failed for good on 410 or
/// once <see cref="WebhookOptions.RetryFor"/> has passed; otherwise retried after an exponential backoff
/// (first delay doubling up to the maximum, lengthened by a random jitter), or after the receiver's
/// Retry-After on 429 and 503.
/// </summary>
public sealed class WebhookRetryPolicy(IOptions<WebhookOptions> options, TimeProvider time, Random? random = null)
{
    private readonly WebhookOptions _options = options.Value;
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>
    /// The nominal wait after the <paramref name="failedAttempts"/>-th failed attempt (1-based), before jitter.
    /// </summary>
    public TimeSpan Backoff(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        var first = _options.FirstRetryDelay.TotalMilliseconds;
        var exponential = first * Math.Pow(2, Math.Min(failedAttempts - 1, 40));
        return TimeSpan.FromMilliseconds(Math.Min(exponential, _options.MaxRetryDelay.TotalMilliseconds));
    }

    /// <summary>The record of an attempt started at <paramref name="startedAt"/> and finished now.</summary>
    public DeliveryAttempt Decide(WebhookDelivery delivery, DateTimeOffset startedAt, WebhookAttemptResult result)
    {
        var now = time.GetUtcNow();
        var attempt = delivery.Attempts + 1;
        if (result.Succeeded)
        {
            return Record(WebhookDeliveryStatus.Delivered, null, null);
        }

        var error =
            result.Error
            ?? (result.HttpStatus is { } s ? "HTTP " + s.ToString(CultureInfo.InvariantCulture) : "failed");
        if (result.HttpStatus == 410)
        {
            return Record(
                WebhookDeliveryStatus.Failed,
                error + " (410 Gone: the receiver asked to stop; not retried)",
                null);
        }

        if (result.Permanent)
        {
            return Record(WebhookDeliveryStatus.Failed, error + " (not retried)", null);
        }

        var elapsed = now - delivery.CreatedAt;
        if (elapsed >= _options.RetryFor)
        {
            return Record(
                WebhookDeliveryStatus.Failed,
                $"{error} (gave up after {attempt} attempts over {Human(elapsed)})",
                null);
        }

        return Record(WebhookDeliveryStatus.Pending, error, now + Delay(attempt, result));

        DeliveryAttempt Record(WebhookDeliveryStatus status, string? message, DateTimeOffset? next) =>
            new(delivery.Id, startedAt, result.HttpStatus, message, result.Latency, status, next);
    }

    private TimeSpan Delay(int failedAttempts, WebhookAttemptResult result)
    {
        // A receiver that says when to come back knows its state better than our backoff does; the bounds
        // keep a zero from causing a hot loop and a huge value from parking the delivery past its deadline.
        if (result is { HttpStatus: 429 or 503, RetryAfter: { } after })
        {
            return after < _options.FirstRetryDelay ? _options.FirstRetryDelay
                : after > _options.MaxRetryDelay ? _options.MaxRetryDelay
                : after;
        }

        // Jitter only lengthens the wait, so the documented schedule is a lower bound and retries still span RetryFor.
        return Backoff(failedAttempts) * (1 + (_options.Jitter * _random.NextDouble()));
    }

    private static string Human(TimeSpan t) =>
        t.TotalHours >= 1 ? FormattableString.Invariant($"{t.TotalHours:0.#} h")
        : t.TotalMinutes >= 1 ? FormattableString.Invariant($"{t.TotalMinutes:0.#} min")
        : FormattableString.Invariant($"{t.TotalSeconds:0.#} s");
}
