using Backcall.Core.Storage;
using Microsoft.Extensions.Options;

namespace Backcall.Core.Authorizations;

/// <summary>
/// Housekeeping of the working set: finds overdue authorizations, decides their expiry notices, has the
/// store mark them expired, drops finished ones from memory, and prunes old rows.
/// </summary>
public sealed class ExpiryService(
    IAuthorizationStore store,
    IRetentionStore retention,
    AuthorizationIndex index,
    IOptions<AuthorizationOptions> options,
    TimeProvider time)
{
    /// <summary>At most this many authorizations are expired in one transaction.</summary>
    private const int Batch = 500;

    /// <summary>Raised for each authorization that expired unconfirmed.</summary>
    public event Action<Authorization>? Expired;

    /// <summary>Loads the working set (pending and recently finished authorizations) from the database.</summary>
    public async Task<int> LoadWorkingSetAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var set = await store
            .LoadWorkingSetAsync(now - options.Value.KeepFinishedInMemory, cancellationToken)
            .ConfigureAwait(false);
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
        var count = 0;
        foreach (var batch in index.Overdue(now).Chunk(Batch))
        {
            var expired = await store
                .ExpireAsync([.. batch.Select(a => Decide(a, now))], cancellationToken)
                .ConfigureAwait(false);
            foreach (var a in expired)
            {
                index.Upsert(a);
                Expired?.Invoke(a);
            }

            count += expired.Count;
        }

        index.Evict(now, now - options.Value.KeepFinishedInMemory);
        return count;
    }

    public Task<int> PruneAsync(CancellationToken cancellationToken = default) =>
        retention.PruneAsync(time.GetUtcNow() - options.Value.Retention, cancellationToken);

    /// <summary>
    /// The expiry and its notice, if the app asked for one. The notice waits
    /// <see cref="AuthorizationOptions.ExpiryNoticeDelay"/>: a call received just before the expiry but
    /// judged after the sweep still confirms, and withdraws the notice before it could be sent.
    /// </summary>
    public Expiration Decide(Authorization authorization, DateTimeOffset now) =>
        new(authorization.Id, authorization is { NotifiesExpiry: true, Webhook: { } url }
            ? new NewDelivery(url, Success: false, "", now, now + options.Value.ExpiryNoticeDelay)
            : null);
}
