using Backcall.Core.Webhooks;
using Backcall.Server.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// What accepting a webhook URL needs, for the server and the CLI alike: the options (section
    /// <c>Webhooks</c>), the address guard and the SSRF-safe URL policy (the only <see cref="IWebhookUrlPolicy"/>).
    /// </summary>
    public static IServiceCollection AddBackcallWebhookPolicy(
        this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WebhookOptions, WebhookOptionsValidator>(configuration, WebhookOptions.Section);
        services.TryAddSingleton<WebhookAddressGuard>();
        services.TryAddSingleton<IWebhookUrlPolicy, SsrfWebhookUrlPolicy>();
        return services;
    }

    /// <summary>
    /// Webhook delivery for the server: the locked-down sender, the dispatcher that drains the outbox and the
    /// watcher that wakes it for retries asked for by the CLI. The options and the guard come from
    /// <see cref="AddBackcallWebhookPolicy"/> (part of <c>AddBackcallServices</c>).
    /// </summary>
    public static IServiceCollection AddBackcallWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton<WebhookConnector>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton(sp => new WebhookRetryPolicy(
            sp.GetRequiredService<IOptions<WebhookOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService<WebhookRetryWatcher>();
        return services;
    }
}
