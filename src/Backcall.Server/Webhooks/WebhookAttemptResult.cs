namespace Backcall.Server.Webhooks;

/// <summary>What one attempt came to: the HTTP status if an answer came, else the error.</summary>
/// <param name="RetryAfter">The receiver's Retry-After, when it sent one.</param>
public sealed record WebhookAttemptResult(int? HttpStatus, string? Error, TimeSpan Latency, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => HttpStatus is >= 200 and < 300;
}
