using Backcall.Core.Storage;

namespace Backcall.Core.Webhooks;

/// <summary>
/// The sender of the node that confirms: a confirmation's webhook enters the outbox already claimed by this
/// node and is handed over once durable, so it is sent at once, without a claim written and committed before
/// it. A lease it does not use runs out, and the delivery is then due for any node, as after a crash.
/// </summary>
public interface IDeliveryHandOff
{
    /// <summary>
    /// The claim to queue a delivery to <paramref name="url"/> with, or null when there is no room now.
    /// </summary>
    DeliveryLease? Lease(string url, DateTimeOffset now);

    /// <summary>A delivery queued with a lease from <see cref="Lease"/>, now durable.</summary>
    void Take(WebhookDelivery delivery, DeliveryLease lease);
}
