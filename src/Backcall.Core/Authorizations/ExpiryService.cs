using Backcall.Core.Storage;
using Microsoft.Extensions.Options;

namespace Backcall.Core.Authorizations;

/// <summary>
/// Housekeeping of the working set: marks overdue authorizations expired in the database (which queues
/// expiry notices), drops finished ones from memory, and prunes old rows.
/// </summary>
public sealed class ExpiryService(IBackcallStore store, AuthorizationIndex index, IOptions<AuthorizationOptions> options, TimeProvider time)
{
    /// <summary>Raised for each authorization that expired unconfirmed.</summary>
    public event Action<Authorization>? Expired;

    /// <summary>Loads the working set from the database (at start-up).</summary>
    public async Task<int> LoadAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var set = await store.LoadWorkingSetAsync(now - options.Value.KeepFinishedInMemory, cancellationToken).ConfigureAwait(false);
        foreach (var a in set)
        {
            index.Upsert(a);
        }

        return set.Count;
    }

    /// <summary>One sweep; returns how many authorizations expired.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var expired = await store.ExpireAsync(now, cancellationToken).ConfigureAwait(false);
        foreach (var a in expired)
        {
            index.Upsert(a);
            Expired?.Invoke(a);
        }

        index.Evict(now, now - options.Value.KeepFinishedInMemory);
        return expired.Count;
    }

    public Task<int> PruneAsync(CancellationToken cancellationToken = default) =>
        store.PruneAsync(time.GetUtcNow() - options.Value.Retention, cancellationToken);
}
