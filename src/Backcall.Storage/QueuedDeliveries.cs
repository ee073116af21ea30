using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using static Backcall.Storage.ColumnValues;

namespace Backcall.Storage;

/// <summary>A new outbox row as both stores write it, and as a sender that was handed it over sees it.</summary>
internal static class QueuedDeliveries
{
    /// <summary>
    /// The delivery of <paramref name="d"/> for <paramref name="a"/>, its times at the stored precision.
    /// </summary>
    public static WebhookDelivery New(Authorization a, NewDelivery d) => new()
    {
        Id = DeliveryIds.New(),
        AuthorizationId = a.Id,
        TokenId = a.TokenId,
        Url = d.Url,
        Success = d.Success,
        Phone = d.Phone,
        CreatedAt = Time(Ms(d.CreatedAt)),
        NextAttemptAt = Time(Ms(d.DueAt)),
    };
}
