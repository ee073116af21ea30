using Backcall.Core.Storage;

namespace Backcall.Server.Storage;

/// <summary>
/// What other processes change in the database, as a registered service beside the store: <see cref="Feed"/> is
/// the PostgreSQL store's change feed (many nodes, one database), null for SQLite (one node; the catalog poll of
/// <see cref="Housekeeping.CatalogRefreshService"/> picks up the CLI's changes).
/// </summary>
public sealed record ClusterChangeFeed(IStoreChangeFeed? Feed);
