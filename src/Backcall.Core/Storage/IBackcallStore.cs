namespace Backcall.Core.Storage;

/// <summary>
/// The whole database, as the host opens, migrates and disposes it. Services depend on the focused
/// interfaces it is made of. Every method that reports a change returns only after the change is durable.
/// Implementations: SQLite (one node, default) and PostgreSQL (many nodes).
/// </summary>
public interface IBackcallStore :
    ICatalogStore, IAuthorizationStore, ICallLogStore, IWebhookOutbox, IStatisticsStore, IRetentionStore, ISignInStore,
    IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema; returns the schema version now in force.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);
}
