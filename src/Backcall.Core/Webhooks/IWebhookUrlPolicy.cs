namespace Backcall.Core.Webhooks;

/// <summary>Decides whether a webhook URL given by an app may be used.</summary>
public interface IWebhookUrlPolicy
{
    /// <summary>Null when the URL is acceptable, else what is wrong with it (shown to the app).</summary>
    ValueTask<string?> ValidateAsync(string url, CancellationToken cancellationToken);
}
