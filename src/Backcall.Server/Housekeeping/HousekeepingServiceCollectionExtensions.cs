namespace Backcall.Server.Housekeeping;

public static class HousekeepingServiceCollectionExtensions
{
    /// <summary>The timers of the server: the expiry sweep and pruning, and the catalog poll (SQLite only).</summary>
    public static IServiceCollection AddBackcallHousekeeping(this IServiceCollection services)
    {
        services.AddHostedService<HousekeepingService>();
        services.AddHostedService<CatalogRefreshService>();
        return services;
    }
}
