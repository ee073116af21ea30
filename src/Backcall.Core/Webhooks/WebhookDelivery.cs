namespace Backcall.Core.Webhooks;

/// <summary>
/// One webhook notification in the durable outbox. It is written in the same transaction as the state change
/// it reports, so a crash can delay it but never lose it.
/// </summary>
public sealed record WebhookDelivery
{
    /// <summary>Stable id (<c>msg_…</c>), sent as <c>webhook-id</c> on every attempt.</summary>
    public required string Id { get; init; }

    public required long AuthorizationId { get; init; }

    public required long TokenId { get; init; }

    /// <summary>The webhook URL as the app gave it; the query parameters are added at delivery.</summary>
    public required string Url { get; init; }

    /// <summary>True for a confirmation, false for an expiry notice.</summary>
    public required bool Success { get; init; }

    /// <summary>The confirmed phone in the contract's form (8XXXXXXXXXX), empty for an expiry notice.</summary>
    public required string Phone { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public WebhookDeliveryStatus Status { get; init; }

    public int Attempts { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? LastError { get; init; }
}

public enum WebhookDeliveryStatus
{
    Pending = 0,
    Delivered = 1,
    Failed = 2,
}
