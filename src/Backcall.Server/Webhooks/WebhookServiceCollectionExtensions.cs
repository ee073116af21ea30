using Backcall.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Webhook delivery for the server: options (section <c>Webhooks</c>), the SSRF-safe URL policy in place
    /// of the basic one, the locked-down sender, the dispatcher that drains the outbox and the watcher that
    /// wakes it for retries asked for by the CLI.
    /// </summary>
    public static IServiceCollection AddBackcallWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton<WebhookAddressGuard>();
        services.RemoveAll<IWebhookUrlPolicy>();
        services.AddSingleton<IWebhookUrlPolicy, SsrfWebhookUrlPolicy>();
        services.TryAddSingleton<WebhookConnector>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton(sp => new WebhookRetryPolicy(sp.GetRequiredService<IOptions<WebhookOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService<WebhookRetryWatcher>();
        return services;
    }
}
