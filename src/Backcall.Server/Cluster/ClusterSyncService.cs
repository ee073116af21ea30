using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Server.Storage;

namespace Backcall.Server.Cluster;

/// <summary>
/// Keeps this node's memory coherent with a database shared by many nodes: applies the store's change feed
/// to the authorization index (so a check here sees a confirmation made by a call to another node, and
/// matching here finds authorizations created on another node) and to the catalog. Does nothing for stores
/// without a feed (SQLite: one node, and the catalog poll covers the CLI).
/// </summary>
internal sealed class ClusterSyncService(
    ClusterChangeFeed changes,
    IAuthorizationStore store,
    AuthorizationIndex index,
    Core.Catalog.CatalogCache catalog,
    ExpiryService expiry,
    ILogger<ClusterSyncService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (changes.Feed is not { } feed)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in feed.WatchAsync(stoppingToken).ConfigureAwait(false))
                {
                    await ApplyOrResyncAsync(change, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The feed reconnects by itself; this is for anything else. A new watch starts with a resync.
                ClusterLog.FeedFailed(logger, ex);
                await Task.Delay(LastRetry, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyOrResyncAsync(StoreChange change, CancellationToken ct)
    {
        try
        {
            await ApplyAsync(change, ct).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            ClusterLog.ApplyFailed(logger, ex, change.Kind.ToString(), change.Id);
        }

        // A change we could not apply is a change this node would otherwise miss for good: reload everything,
        // retrying until the database answers.
        for (var retry = FirstRetry; ; retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks)))
        {
            await Task.Delay(retry, ct).ConfigureAwait(false);
            try
            {
                await ApplyAsync(new StoreChange(StoreChangeKind.Resync), ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                ClusterLog.ApplyFailed(logger, ex, nameof(StoreChangeKind.Resync), 0);
            }
        }
    }

    private async Task ApplyAsync(StoreChange change, CancellationToken ct)
    {
        switch (change.Kind)
        {
            case StoreChangeKind.Authorization:
                var loaded = await store.GetAuthorizationAsync(change.Id, ct).ConfigureAwait(false);
                if (loaded is not null && !IsOlderThanKnown(loaded))
                {
                    index.Upsert(loaded);
                }

                break;
            case StoreChangeKind.Catalog:
                await catalog.RefreshAsync(ct).ConfigureAwait(false);
                break;
            case StoreChangeKind.Resync:
                await catalog.ReloadAsync(ct).ConfigureAwait(false);
                var count = await expiry.LoadWorkingSetAsync(ct).ConfigureAwait(false);
                ClusterLog.Resynced(logger, count);
                break;
        }
    }

    /// <summary>
    /// Status only moves forward (pending → confirmed or expired): a pending row read just before this
    /// node confirmed it must not undo the confirmation in memory.
    /// </summary>
    private bool IsOlderThanKnown(Authorization loaded) =>
        loaded.Status == AuthorizationStatus.Pending
        && index.TryGet(loaded.Id, out var known)
        && known.Status != AuthorizationStatus.Pending;
}
