using Backcall.Core.Storage;
using Backcall.Server.Hosting;
using Backcall.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the store chosen by <see cref="StorageOptions"/>: SQLite unless a PostgreSQL connection string is set.</summary>
    public static IServiceCollection AddBackcallStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton<IBackcallStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (!string.IsNullOrWhiteSpace(storage.Postgres))
            {
                return StoreFactories.CreatePostgres(storage.Postgres, sp);
            }

            var data = sp.GetRequiredService<IOptions<ServerOptions>>().Value.DataDirectory;
            return new SqliteStore(string.IsNullOrWhiteSpace(storage.SqlitePath) ? Path.Combine(data, "backcall.db") : storage.SqlitePath);
        });
        return services;
    }
}
