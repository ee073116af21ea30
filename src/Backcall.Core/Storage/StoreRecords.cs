using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Webhooks;

namespace Backcall.Core.Storage;

public sealed record NewToken(
    string Name,
    string Hash,
    string Prefix,
    string WebhookSecret,
    decimal Price,
    decimal BalanceLimit,
    int FreeRequests,
    bool NotifyExpired,
    DateTimeOffset CreatedAt);

/// <summary>A change to a token; null members stay as they are.</summary>
public sealed record TokenChange
{
    public bool? Disabled { get; init; }

    /// <summary>Added to the balance (negative to take away).</summary>
    public decimal? TopUp { get; init; }

    public decimal? Price { get; init; }

    public decimal? BalanceLimit { get; init; }

    public int? FreeLeft { get; init; }

    public bool? NotifyExpired { get; init; }

    /// <summary>A new webhook secret; the current one becomes the previous one until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? NewWebhookSecret { get; init; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
}

public sealed record NewAuthorization(
    long TokenId,
    E164Phone UserPhone,
    E164Phone AuthNumber,
    string QrKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? Webhook,
    bool NotifyExpired);

public enum CreateAuthorizationError
{
    None = 0,

    /// <summary>Neither free authorizations nor balance are left.</summary>
    QuotaExhausted,

    /// <summary>The (number, phone) lease is held by a live authorization (taken by another node).</summary>
    NumberTaken,

    /// <summary>The token is disabled or gone.</summary>
    TokenDisabled,
}

public sealed record CreateAuthorizationResult(Authorization? Authorization, CreateAuthorizationError Error);

/// <summary>A call to log, with the outcome matching proposes.</summary>
public sealed record CallRecord(
    IncomingCall Call,
    DateTimeOffset ReceivedAt,
    CallOutcome ProposedOutcome,
    long? AuthorizationId,
    IReadOnlyList<long> WrongCallerAuthorizationIds,
    string? OtherCallerHint);

public sealed record CallRecordResult(CallOutcome Outcome, long? AuthorizationId, bool Repeated, Authorization? Confirmed);

public sealed record AuthorizationQuery(
    string? Phone = null,
    long? TokenId = null,
    AuthorizationStatus? Status = null,
    int Limit = 100,
    long? BeforeId = null);

public sealed record CallQuery(string? Phone = null, CallOutcome? Outcome = null, int Limit = 100, long? BeforeId = null);

public sealed record DeliveryQuery(WebhookDeliveryStatus? Status = null, long? AuthorizationId = null, int Limit = 100);

public sealed record DeliveryAttempt(
    string DeliveryId,
    DateTimeOffset At,
    int? HttpStatus,
    string? Error,
    TimeSpan Latency,
    WebhookDeliveryStatus NewStatus,
    DateTimeOffset? NextAttemptAt);

public sealed record StoreStatistics(
    long AuthorizationsCreated,
    long AuthorizationsConfirmed,
    long AuthorizationsExpired,
    long CallsMatched,
    long CallsUnmatched,
    long WebhooksDelivered,
    long WebhooksFailed,
    long WebhooksPending);
