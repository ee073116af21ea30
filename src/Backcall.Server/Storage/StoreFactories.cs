using Backcall.Core.Storage;
using Backcall.Server.Hosting;
using Backcall.Storage.Postgres;
using Backcall.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Storage;

/// <summary>The database chosen by <see cref="StorageOptions"/>, opened once: the store and its change feed.</summary>
/// <remarks>
/// Not disposable itself: the container owns the store. It disposes it once for each interface the store is
/// registered as (the focused interfaces forward to it); the stores close on the first call and ignore the rest.
/// </remarks>
internal sealed record OpenedStore(IBackcallStore Store, ClusterChangeFeed Changes);

/// <summary>Opens the store <see cref="StorageOptions"/> chose: SQLite unless a PostgreSQL connection is set.</summary>
internal static class StoreFactories
{
    public static OpenedStore Open(IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(storage.Postgres))
        {
            // Many nodes on one database: its change feed is applied to this node's memory by ClusterSyncService.
            var postgres = new PostgresStore(storage.Postgres, services.GetRequiredService<ILogger<PostgresStore>>());
            return new OpenedStore(postgres, new ClusterChangeFeed(postgres));
        }

        var data = services.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirectory;
        var path = string.IsNullOrWhiteSpace(storage.SqlitePath)
            ? Path.Combine(data, "backcall.db")
            : storage.SqlitePath;
        DataFiles.PrepareDatabaseFile(path);
        return new OpenedStore(new SqliteStore(path), new ClusterChangeFeed(null));
    }
}
