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

    /// <summary>
    /// A new webhook secret; the current one becomes the previous one until <see cref="PreviousSecretExpiresAt"/>.
    /// </summary>
    public string? NewWebhookSecret { get; init; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
}

/// <param name="UserPhone">
/// The user's phone, or null in identify mode: then the lease holds the number for every phone, and is taken only
/// when no live lease of any phone is on the number (a normal lease, likewise, not while the number is held so).
/// </param>
/// <param name="Supersedes">
/// The same token's pending authorizations of the same phone that this one replaces: they end as expired
/// (at <paramref name="CreatedAt"/>) and free their numbers, in the same transaction.
/// </param>
public sealed record NewAuthorization(
    long TokenId,
    E164Phone? UserPhone,
    E164Phone AuthNumber,
    string QrKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? Webhook,
    bool NotifyExpired)
{
    public IReadOnlyList<long> Supersedes { get; init; } = [];
}

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

/// <summary>
/// The stored authorizations a call can be judged against (<see cref="IAuthorizationStore.FindCallCandidatesAsync"/>).
/// </summary>
/// <param name="Pair">The newest authorization of the (called, caller) pair, in any state.</param>
/// <param name="Identify">The newest identify authorization on the called number, in any state.</param>
public readonly record struct CallCandidates(Authorization? Pair, Authorization? Identify);

/// <param name="Superseded">The authorizations this one replaced, as they are now (expired).</param>
public sealed record CreateAuthorizationResult(Authorization? Authorization, CreateAuthorizationError Error)
{
    public IReadOnlyList<Authorization> Superseded { get; init; } = [];
}

/// <summary>A webhook notification to enter the outbox with the change it reports.</summary>
/// <param name="Url">The authorization's webhook URL.</param>
/// <param name="Success">True for a confirmation, false for an expiry notice.</param>
/// <param name="Phone">The confirmed phone in the contract's form, empty for an expiry notice.</param>
/// <param name="CreatedAt">When the reported change happened.</param>
/// <param name="DueAt">The first attempt's time.</param>
/// <param name="Lease">The claim to write with it: the node that queues it sends it (see
/// <see cref="IDeliveryHandOff"/>); null leaves it to the outbox's claims.</param>
public sealed record NewDelivery(
    string Url,
    bool Success,
    string Phone,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    DeliveryLease? Lease = null);

/// <summary>A node's claim on a delivery: no other node takes it before <paramref name="Until"/>.</summary>
public sealed record DeliveryLease(string Node, DateTimeOffset Until);

/// <summary>What <see cref="Calls.CallService"/> decided a call confirms.</summary>
/// <param name="AuthorizationId">The authorization to confirm.</param>
/// <param name="Phone">The phone that called.</param>
/// <param name="SeenExpiresAt">The expiry the decision was based on: if the authorization changed since, the race is
/// lost.</param>
/// <param name="Webhook">The confirmation webhook to queue, if the authorization has one.</param>
public sealed record Confirmation(
    long AuthorizationId,
    E164Phone Phone,
    DateTimeOffset SeenExpiresAt,
    NewDelivery? Webhook);

/// <summary>A call with everything <see cref="Calls.CallService"/> decided about it, for the store to apply.</summary>
/// <param name="Call">The call.</param>
/// <param name="ReceivedAt">When it reached Backcall: the time it is judged at and logged with.</param>
/// <param name="Outcome">The outcome to log.</param>
/// <param name="AuthorizationId">The authorization it was judged against, if any.</param>
/// <param name="Confirm">The confirmation, with <see cref="CallOutcome.Matched"/> only.</param>
/// <param name="HintIds">Pending authorizations that learn of the call from another phone.</param>
/// <param name="Hint">The masked caller they learn, or null.</param>
public sealed record CallDecision(
    IncomingCall Call,
    DateTimeOffset ReceivedAt,
    CallOutcome Outcome,
    long? AuthorizationId,
    Confirmation? Confirm,
    IReadOnlyList<long> HintIds,
    string? Hint);

public enum CallRecordStatus
{
    /// <summary>The call was logged and the decision applied.</summary>
    Recorded = 0,

    /// <summary>The call id was logged before: nothing changed; the earlier outcome is answered.</summary>
    Repeated = 1,

    /// <summary>
    /// The authorization changed since the decision (another call confirmed it): nothing was written.
    /// </summary>
    LostRace = 2,
}

/// <param name="Status">What happened.</param>
/// <param name="Outcome">The logged outcome (the earlier one when repeated).</param>
/// <param name="AuthorizationId">The logged authorization id.</param>
/// <param name="Confirmed">The authorization as confirmed by this call, if it was.</param>
/// <param name="Current">With <see cref="CallRecordStatus.LostRace"/>: the authorization as it is now.</param>
/// <param name="Delivery">The confirmation's webhook as queued with it, if it has one.</param>
public sealed record CallRecordResult(
    CallRecordStatus Status,
    CallOutcome Outcome,
    long? AuthorizationId,
    Authorization? Confirmed = null,
    Authorization? Current = null,
    WebhookDelivery? Delivery = null)
{
    public bool Repeated => Status == CallRecordStatus.Repeated;
}

/// <summary>
/// An authorization <see cref="Authorizations.ExpiryService"/> found overdue, and the notice to queue for it.
/// </summary>
/// <param name="AuthorizationId">The overdue authorization.</param>
/// <param name="Notice">The expiry notice, when the app asked for one.</param>
public sealed record Expiration(long AuthorizationId, NewDelivery? Notice);

/// <summary>
/// Authorizations newest first; <paramref name="Since"/> (inclusive) and <paramref name="Until"/> (exclusive) bound
/// the creation time.
/// </summary>
public sealed record AuthorizationQuery(
    string? Phone = null,
    long? TokenId = null,
    AuthorizationStatus? Status = null,
    int Limit = 100,
    long? BeforeId = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null);

/// <summary>
/// Calls newest first; <paramref name="Since"/> (inclusive) and <paramref name="Until"/> (exclusive) bound the time
/// received.
/// </summary>
public sealed record CallQuery(
    string? Phone = null,
    CallOutcome? Outcome = null,
    int Limit = 100,
    long? BeforeId = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null);

/// <summary>
/// Deliveries newest first; <paramref name="Since"/> (inclusive) and <paramref name="Until"/> (exclusive) bound the
/// creation time; <paramref name="Id"/> picks one.
/// </summary>
public sealed record DeliveryQuery(
    WebhookDeliveryStatus? Status = null,
    long? AuthorizationId = null,
    int Limit = 100,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    string? Id = null);

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

/// <summary>One token's authorizations created in a window, by what became of them.</summary>
public sealed record TokenStatistics(long TokenId, long Created, long Confirmed, long Expired);
