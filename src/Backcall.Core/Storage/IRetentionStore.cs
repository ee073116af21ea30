namespace Backcall.Core.Storage;

/// <summary>
/// How long history is kept: <see cref="Authorizations.ExpiryService.PruneAsync"/> decides the cut-off.
/// </summary>
public interface IRetentionStore
{
    /// <summary>
    /// Deletes finished authorizations, call-log rows and completed deliveries older than the cut-off.
    /// </summary>
    Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default);
}
