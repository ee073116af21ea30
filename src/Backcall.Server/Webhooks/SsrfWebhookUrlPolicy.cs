using System.Net.Sockets;
using Backcall.Core.Webhooks;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Accepts a webhook only if it is an http(s) URL whose host is, and resolves only to, public addresses
/// (or addresses the allowlist admits). This is early feedback for the app; the delivery checks again at
/// connect time, which is what actually stops DNS tricks.
/// </summary>
internal sealed class SsrfWebhookUrlPolicy(WebhookAddressGuard guard, ILogger<SsrfWebhookUrlPolicy> logger)
    : IWebhookUrlPolicy
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public async ValueTask<string?> ValidateAsync(string url, CancellationToken cancellationToken)
    {
        if (WebhookUrlSyntax.Check(url) is { } problem)
        {
            return problem;
        }

        var host = new Uri(url).IdnHost;
        if (WebhookAddressGuard.IsReservedName(host))
        {
            // Accepted for apps' test suites, and never called: delivery refuses it before any lookup.
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            await guard.ResolveCheckedAsync(host, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (WebhookRefusedException ex)
        {
            WebhookLog.WebhookRefused(logger, host, ex.Message);
            return ex.Message + "; give a URL on the public internet, e.g. https://app.example.com/backcall";
        }
        catch (Exception ex)
            when (ex is SocketException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // DNS is slow or failing right now: not the app's fault. Delivery checks the address anyway.
            WebhookLog.WebhookHostUnchecked(logger, host, ex.Message);
            return null;
        }
    }
}
