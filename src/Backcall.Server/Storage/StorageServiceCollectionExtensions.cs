using Backcall.Core.Storage;
using Backcall.Server.Hosting;

namespace Backcall.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store chosen by <see cref="StorageOptions"/> (SQLite unless a PostgreSQL connection string is
    /// set) and its <see cref="ClusterChangeFeed"/>. The container owns the store and disposes it once, at the end.
    /// </summary>
    public static IServiceCollection AddBackcallStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<StorageOptions, StorageOptionsValidator>(configuration, StorageOptions.Section);
        services.AddSingleton(StoreFactories.Open);
        services.AddSingleton(sp => sp.GetRequiredService<OpenedStore>().Store);
        services.AddSingleton(sp => sp.GetRequiredService<OpenedStore>().Changes);
        return services;
    }
}
