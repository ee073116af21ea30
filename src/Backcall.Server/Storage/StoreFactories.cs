using Backcall.Core.Storage;

namespace Backcall.Server.Storage;

/// <summary>Constructs the stores that need more than a path.</summary>
internal static class StoreFactories
{
    public static IBackcallStore CreatePostgres(string connectionString, IServiceProvider services) =>
        throw new NotSupportedException("PostgreSQL storage is not built into this version yet; remove Storage:Postgres (--db) to use SQLite.");
}
