namespace Backcall.Server.Webhooks;

/// <summary>What one attempt came to: the HTTP status if an answer came, else the error.</summary>
/// <param name="RetryAfter">The receiver's Retry-After, when it sent one.</param>
/// <param name="Permanent">A failure no retry can cure (e.g. a webhook host that is never called).</param>
public sealed record WebhookAttemptResult(
    int? HttpStatus,
    string? Error,
    TimeSpan Latency,
    TimeSpan? RetryAfter = null,
    bool Permanent = false)
{
    public bool Succeeded => HttpStatus is >= 200 and < 300;
}
