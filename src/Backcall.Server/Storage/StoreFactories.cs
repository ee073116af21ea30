using Backcall.Core.Storage;
using Backcall.Storage.Postgres;

namespace Backcall.Server.Storage;

/// <summary>Constructs the stores that need more than a path.</summary>
internal static class StoreFactories
{
    /// <summary>
    /// The PostgreSQL store for many nodes on one database; its change feed is applied to this node's
    /// memory by <see cref="Cluster.ClusterSyncService"/>.
    /// </summary>
    public static IBackcallStore CreatePostgres(string connectionString, IServiceProvider services) =>
        new PostgresStore(connectionString, services.GetRequiredService<ILogger<PostgresStore>>());
}
