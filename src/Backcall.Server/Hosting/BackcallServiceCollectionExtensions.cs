using Backcall.Core;
using Backcall.Core.Authorizations;
using Backcall.Core.Tokens;
using Backcall.Server.Admin;
using Backcall.Server.Api;
using Backcall.Server.SignIn;
using Backcall.Server.Storage;
using Backcall.Server.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Backcall.Server.Hosting;

public static class BackcallServiceCollectionExtensions
{
    /// <summary>
    /// Everything that acts on Backcall's data, without the web host: the core, the store, and the options
    /// they read. The server and the CLI both start from this, so they cannot disagree on configuration.
    /// </summary>
    public static IServiceCollection AddBackcallServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ServerOptions, ServerOptionsValidator>(configuration, ServerOptions.Section);
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<
                Microsoft.Extensions.Options.IValidateOptions<ServerOptions>,
                AdminKeyValidator
            >());
        services.AddOptions<AuthorizationOptions>().Bind(configuration.GetSection(AuthorizationOptions.Section));
        services.AddOptions<TokenOptions>().Bind(configuration.GetSection(TokenOptions.Section));
        services.AddBackcallCore();
        services.AddBackcallStorage(configuration);
        services.AddBackcallWebhookPolicy(configuration);
        services.TryAddSingleton<AdminKeys>();
        services.TryAddSingleton<PublicUrls>();
        services.AddBackcallSignInKeys(configuration);
        return services;
    }
}
