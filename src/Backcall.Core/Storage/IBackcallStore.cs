using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;

namespace Backcall.Core.Storage;

/// <summary>
/// What the core needs from a database. Every method that reports a change returns only after the change
/// is durable. Implementations: SQLite (one node, default) and PostgreSQL (many nodes).
/// </summary>
public interface IBackcallStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema; returns the schema version now in force.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>A number that changes whenever tokens or numbers change, so caches know when to reload.</summary>
    Task<long> GetCatalogVersionAsync(CancellationToken cancellationToken = default);

    // Tokens

    Task<Token> CreateTokenAsync(NewToken token, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Token>> ListTokensAsync(CancellationToken cancellationToken = default);

    Task<Token?> GetTokenAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Applies a change to a token; null when no such token.</summary>
    Task<Token?> UpdateTokenAsync(long id, TokenChange change, CancellationToken cancellationToken = default);

    // Numbers

    /// <summary>Adds a number to the pool; false when it is there already.</summary>
    Task<bool> AddNumberAsync(E164Phone number, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PoolNumber>> ListNumbersAsync(CancellationToken cancellationToken = default);

    Task<bool> SetNumberEnabledAsync(E164Phone number, bool enabled, CancellationToken cancellationToken = default);

    Task<bool> RemoveNumberAsync(E164Phone number, CancellationToken cancellationToken = default);

    // Authorizations

    /// <summary>
    /// Charges the token and inserts the authorization in one transaction. The lease of
    /// (number, user phone) is taken only when no live authorization holds it, which makes allocation
    /// race-free across nodes.
    /// </summary>
    Task<CreateAuthorizationResult> CreateAuthorizationAsync(NewAuthorization authorization, CancellationToken cancellationToken = default);

    Task<Authorization?> GetAuthorizationAsync(long id, CancellationToken cancellationToken = default);

    Task<Authorization?> GetAuthorizationByQrKeyAsync(string qrKey, CancellationToken cancellationToken = default);

    /// <summary>Authorizations still pending, or finished at or after <paramref name="finishedSince"/>: the in-memory working set.</summary>
    Task<IReadOnlyList<Authorization>> LoadWorkingSetAsync(DateTimeOffset finishedSince, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Authorization>> ListAuthorizationsAsync(AuthorizationQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a call in the call log and applies what matching decided, in one transaction: with
    /// <see cref="CallOutcome.Matched"/> the authorization is confirmed only if it is still pending and
    /// unexpired (else the outcome is downgraded), and the confirmation webhook, if any, enters the
    /// outbox. A call id seen before changes nothing and returns the earlier outcome, marked repeated.
    /// </summary>
    Task<CallRecordResult> RecordCallAsync(CallRecord call, CancellationToken cancellationToken = default);

    /// <summary>Marks pending authorizations past their expiry as expired and queues their expiry notices; returns them.</summary>
    Task<IReadOnlyList<Authorization>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CallLogEntry>> ListCallsAsync(CallQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes finished authorizations, call-log rows and completed deliveries older than the cut-off.</summary>
    Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default);

    // Webhook outbox

    /// <summary>
    /// Takes up to <paramref name="limit"/> due deliveries, oldest first, for this node until
    /// <paramref name="leaseUntil"/>, leaving out those to <paramref name="skipHosts"/> (<see cref="WebhookHost"/>):
    /// the hosts the dispatcher has no room for, so their backlog is neither claimed for nothing nor in the
    /// way of other hosts' deliveries.
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDueDeliveriesAsync(string node, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, IReadOnlyCollection<string>? skipHosts = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands this node's claims on pending deliveries back at once, so they are due again for any node
    /// instead of when the lease ends; others' claims are left alone. Returns how many were released.
    /// </summary>
    Task<int> ReleaseDeliveryClaimsAsync(string node, IReadOnlyCollection<string> deliveryIds, CancellationToken cancellationToken = default);

    Task RecordDeliveryAttemptAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeliveryAttempt>> ListDeliveryAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Makes a delivery due now again (after a failure); false when no such delivery.</summary>
    Task<bool> RetryDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<StoreStatistics> GetStatisticsAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Activity from <paramref name="since"/> up to <paramref name="until"/> in buckets of <paramref name="bucket"/>
    /// (at most a few thousand), plus the time-to-call distribution: the operator console's charts.
    /// </summary>
    Task<TimeSeries> GetTimeSeriesAsync(DateTimeOffset since, DateTimeOffset until, TimeSpan bucket, CancellationToken cancellationToken = default);
}
