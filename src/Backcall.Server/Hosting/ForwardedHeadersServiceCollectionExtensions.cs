using Backcall.Sip;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Hosting;

public static class ForwardedHeadersServiceCollectionExtensions
{
    /// <summary>
    /// Believes X-Forwarded-For, -Proto and -Host from <see cref="ServerOptions.TrustedProxies"/> only (checked at
    /// start by <see cref="ServerOptionsValidator"/>). The middleware runs only when the list is not empty.
    /// </summary>
    public static IServiceCollection AddBackcallForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ServerOptions>>((o, server) =>
        {
            o.ForwardedHeaders =
                ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in NetworkList.Parse(server.Value.TrustedProxies))
            {
                o.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }
}
