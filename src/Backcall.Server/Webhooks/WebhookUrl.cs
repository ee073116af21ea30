using System.Globalization;
using System.Text;
using Backcall.Core.Webhooks;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Builds the URL a delivery calls: the app's webhook plus <c>success</c>, <c>phone</c> and <c>id</c>.
/// </summary>
public static class WebhookUrl
{
    private static readonly string[] Reserved = ["success", "phone", "id"];

    public static Uri For(WebhookDelivery delivery) =>
        Build(delivery.Url, delivery.Success, delivery.Phone, delivery.AuthorizationId);

    /// <summary>
    /// <c>{webhook}?success=True&amp;phone=8XXXXXXXXXX&amp;id=N</c> as the contract shows. A query the URL
    /// already has is kept, except parameters named success, phone or id: receivers usually read the first
    /// value of a name, so a stale one would win over ours. The fragment is dropped (it is never sent).
    /// </summary>
    public static Uri Build(string webhook, bool success, string phone, long id)
    {
        var uri = new Uri(webhook, UriKind.Absolute);
        var query = new StringBuilder();
        foreach (var part in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part.Split('=', 2)[0];
            if (!Reserved.Contains(Uri.UnescapeDataString(name.Replace('+', ' ')), StringComparer.Ordinal))
            {
                query.Append(part).Append('&');
            }
        }

        // Exactly "True"/"False": the hosted service sent Python's spelling and receivers compare strings.
        query.Append("success=").Append(success ? "True" : "False")
            .Append("&phone=").Append(Uri.EscapeDataString(phone))
            .Append("&id=").Append(id.ToString(CultureInfo.InvariantCulture));

        var builder = new UriBuilder(uri) { Query = query.ToString(), Fragment = string.Empty };
        return builder.Uri;
    }
}
