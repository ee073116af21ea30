using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backcall.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// The domain core: catalog, in-memory index, authorization, call and admin services. The caller adds
    /// an <see cref="Storage.IBackcallStore"/> and an <see cref="Webhooks.IWebhookUrlPolicy"/>, and binds
    /// <see cref="AuthorizationOptions"/> and <see cref="TokenOptions"/>.
    /// </summary>
    public static IServiceCollection AddBackcallCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AuthorizationOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TokenOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new PhoneParser(sp.GetRequiredService<IOptions<AuthorizationOptions>>().Value.DefaultRegion));
        services.TryAddSingleton<Catalog.Catalog>();
        services.TryAddSingleton<AuthorizationIndex>();
        services.TryAddSingleton<AuthorizationService>();
        services.TryAddSingleton<CallService>();
        services.TryAddSingleton<ExpiryService>();
        services.TryAddSingleton<TokenAdmin>();
        services.TryAddSingleton<NumberAdmin>();
        services.TryAddSingleton<TokenRateLimiter>();
        return services;
    }
}
