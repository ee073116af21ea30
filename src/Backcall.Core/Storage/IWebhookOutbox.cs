using Backcall.Core.Webhooks;

namespace Backcall.Core.Storage;

/// <summary>
/// The durable webhook outbox: deliveries enter it with the change they report and leave it when sent.
/// </summary>
public interface IWebhookOutbox
{
    /// <summary>
    /// Takes up to <paramref name="limit"/> due deliveries, oldest first, for this node until
    /// <paramref name="leaseUntil"/>, leaving out those to <paramref name="skipHosts"/> (<see cref="WebhookHost"/>):
    /// the hosts the dispatcher has no room for, so their backlog is neither claimed for nothing nor in the
    /// way of other hosts' deliveries.
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDueDeliveriesAsync(
        string node,
        DateTimeOffset now,
        DateTimeOffset leaseUntil,
        int limit,
        IReadOnlyCollection<string>? skipHosts = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands this node's claims on pending deliveries back at once, so they are due again for any node
    /// instead of when the lease ends; others' claims are left alone. Returns how many were released.
    /// </summary>
    Task<int> ReleaseDeliveryClaimsAsync(
        string node,
        IReadOnlyCollection<string> deliveryIds,
        CancellationToken cancellationToken = default);

    Task RecordDeliveryAttemptAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(
        DeliveryQuery query,
        CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeliveryAttempt>> ListDeliveryAttemptsAsync(
        string deliveryId,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a delivery due now again (after a failure) and moves <see cref="GetRetryVersionAsync"/>, so a
    /// running server sees a retry asked for by another process; false when no such delivery.
    /// </summary>
    Task<bool> RetryDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>A number that changes whenever a retry is asked for.</summary>
    Task<long> GetRetryVersionAsync(CancellationToken cancellationToken = default);
}
