using Backcall.Core.Webhooks;

namespace Backcall.Server.Webhooks;

/// <summary>Accepts absolute http and https URLs with a host and nothing else.</summary>
public sealed class BasicWebhookUrlPolicy : IWebhookUrlPolicy
{
    public const int MaxLength = 2048;

    public ValueTask<string?> ValidateAsync(string url, CancellationToken cancellationToken) => ValueTask.FromResult(Check(url));

    public static string? Check(string url)
    {
        if (url.Length > MaxLength)
        {
            return $"webhook URL is longer than {MaxLength} characters";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
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
