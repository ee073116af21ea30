using System.Security.Cryptography;

namespace Backcall.Storage;

/// <summary>
/// Webhook delivery ids, the <c>webhook-id</c> a receiver deduplicates by (docs/webhooks.md). Random, not
/// taken from a sequence, so any node can make one without asking the database or another node.
/// </summary>
internal static class DeliveryIds
{
    public static string New() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
