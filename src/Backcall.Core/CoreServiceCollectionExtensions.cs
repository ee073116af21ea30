using Backcall.Core.Activity;
using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backcall.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// The domain core: catalog, in-memory index, authorization, call and admin services. The caller adds
    /// an <see cref="IBackcallStore"/> and an <see cref="Webhooks.IWebhookUrlPolicy"/>, and binds
    /// <see cref="AuthorizationOptions"/> and <see cref="TokenOptions"/>. The services depend on the store's
    /// focused interfaces, which resolve to that one store.
    /// </summary>
    public static IServiceCollection AddBackcallCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<AuthorizationOptions>, AuthorizationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>());
        services.AddOptions<AuthorizationOptions>().ValidateOnStart();
        services.AddOptions<TokenOptions>().ValidateOnStart();
        services.TryAddSingleton(sp => new PhoneParser(
            sp.GetRequiredService<IOptions<AuthorizationOptions>>().Value.DefaultRegion));
        services.TryAddSingleton<ICatalogStore>(sp => sp.GetRequiredService<IBackcallStore>());
        services.TryAddSingleton<IAuthorizationStore>(sp => sp.GetRequiredService<IBackcallStore>());
        services.TryAddSingleton<ICallLogStore>(sp => sp.GetRequiredService<IBackcallStore>());
        services.TryAddSingleton<IWebhookOutbox>(sp => sp.GetRequiredService<IBackcallStore>());
        services.TryAddSingleton<IStatisticsStore>(sp => sp.GetRequiredService<IBackcallStore>());
        services.TryAddSingleton<IRetentionStore>(sp => sp.GetRequiredService<IBackcallStore>());
        services.TryAddSingleton<Catalog.CatalogCache>();
        services.TryAddSingleton<AuthorizationIndex>();
        services.TryAddSingleton<AuthorizationService>();
        services.TryAddSingleton<CallService>();
        services.TryAddSingleton<ExpiryService>();
        services.TryAddSingleton<TokenAdmin>();
        services.TryAddSingleton<RefusalCounter>();
        services.TryAddSingleton<NumberAdmin>();
        services.TryAddSingleton<WebhookAdmin>();
        services.TryAddSingleton<ActivityAdmin>();
        services.TryAddSingleton<TokenRateLimiter>();
        services.TryAddSingleton<ISignInStore>(sp => sp.GetRequiredService<IBackcallStore>());
        services.TryAddSingleton<SignIn.ClientAdmin>();
        return services;
    }
}
