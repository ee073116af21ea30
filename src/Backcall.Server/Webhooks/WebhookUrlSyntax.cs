namespace Backcall.Server.Webhooks;

/// <summary>
/// The form a webhook URL must have: absolute http or https with a host, no user info, at most
/// <see cref="MaxLength"/> characters. The first check of <see cref="SsrfWebhookUrlPolicy"/>.
/// </summary>
internal static class WebhookUrlSyntax
{
    public const int MaxLength = 2048;

    /// <summary>Null when the URL has the right form, else why not.</summary>
    public static string? Check(string url)
    {
        if (url.Length > MaxLength)
        {
            return $"webhook URL is longer than {MaxLength} characters";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return "webhook must be an absolute http or https URL with a host, e.g. https://app.example.com/backcall";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "webhook URL must not contain a user name or password";
        }

        return null;
    }
}
