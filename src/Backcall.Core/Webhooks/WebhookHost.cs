namespace Backcall.Core.Webhooks;

/// <summary>
/// The host a webhook goes to, as per-host delivery limits count it: the host name in lowercase, ports and
/// schemes of one host together. Kept with each outbox row, so a claim can leave out hosts that are busy.
/// </summary>
public static class WebhookHost
{
    /// <summary>The host of <paramref name="url"/>; empty when it is not an absolute URL.</summary>
    public static string Of(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IdnHost.ToLowerInvariant() : "";
}
