using Backcall.Core.Storage;

namespace Backcall.Core.Webhooks;

/// <summary>
/// Operator actions on the webhook outbox, shared by the CLI, the admin API and the console: list, show
/// the attempts of one delivery, retry.
/// </summary>
/// <remarks>
/// A retry is delivered promptly by the running server whichever of the three asked: in the same process
/// <see cref="RetryRequested"/> fires at once; a retry written by another process (the CLI) moves the
/// outbox's retry version, which <see cref="PollRetriesAsync"/> notices, as catalog changes are noticed.
/// </remarks>
public sealed class WebhookAdmin(IWebhookOutbox outbox, TimeProvider time)
{
    private long _retryVersion = -1;

    /// <summary>
    /// Raised when a retry was asked for (by this process, or noticed by <see cref="PollRetriesAsync"/>).
    /// </summary>
    public event Action<string?>? RetryRequested;

    public Task<IReadOnlyList<WebhookDelivery>> ListAsync(
        DeliveryQuery query,
        CancellationToken cancellationToken = default) => outbox.ListDeliveriesAsync(query, cancellationToken);

    /// <summary>The attempts of one delivery, oldest first (empty for an unknown id).</summary>
    public Task<IReadOnlyList<DeliveryAttempt>> ShowAsync(
        string deliveryId,
        CancellationToken cancellationToken = default) =>
        outbox.ListDeliveryAttemptsAsync(deliveryId, cancellationToken);

    /// <summary>
    /// Makes a delivery due now (a failed one, once the receiver is fixed); false when no such delivery.
    /// </summary>
    public async Task<bool> RetryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        if (!await outbox.RetryDeliveryAsync(deliveryId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        RetryRequested?.Invoke(deliveryId);
        return true;
    }

    /// <summary>
    /// Raises <see cref="RetryRequested"/> when a retry was written since the last poll (by any process).
    /// The first poll only learns where the version stands.
    /// </summary>
    public async Task PollRetriesAsync(CancellationToken cancellationToken = default)
    {
        var version = await outbox.GetRetryVersionAsync(cancellationToken).ConfigureAwait(false);
        var previous = Interlocked.Exchange(ref _retryVersion, version);
        if (previous >= 0 && previous != version)
        {
            RetryRequested?.Invoke(null);
        }
    }
}
