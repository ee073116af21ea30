namespace Backcall.Server.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>Keeps this node's memory in step with other nodes on a shared database (a no-op on SQLite).</summary>
    public static IServiceCollection AddBackcallClusterSync(this IServiceCollection services)
    {
        services.AddHostedService<ClusterSyncService>();
        return services;
    }
}
