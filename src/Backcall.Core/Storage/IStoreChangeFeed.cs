namespace Backcall.Core.Storage;

/// <summary>
/// Changes to the database made by other processes (other nodes, the CLI), for stores shared by many
/// nodes. Each node keeps its own in-memory working set and catalog; without this feed a node would not
/// learn that another node created or confirmed an authorization until it reloaded.
/// </summary>
/// <remarks>
/// Delivery is at most once per connection: a feed that loses its connection reports
/// <see cref="StoreChangeKind.Resync"/> after reconnecting, and the reader reloads everything, which
/// covers whatever was missed in between. A feed also reports Resync when it first starts listening, so
/// changes made between the start-up load and the first subscription are not lost either.
/// </remarks>
public interface IStoreChangeFeed
{
    /// <summary>Changes as they are committed, until <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<StoreChange> WatchAsync(CancellationToken cancellationToken);
}

public enum StoreChangeKind
{
    /// <summary>An authorization was created or changed (confirmed, wrong-caller hint); reload it by id.</summary>
    Authorization = 1,

    /// <summary>Tokens or numbers changed; reload the catalog.</summary>
    Catalog = 2,

    /// <summary>
    /// Changes may have been missed (the feed (re)connected); reload the working set and the catalog.
    /// </summary>
    Resync = 3,
}

/// <param name="Kind">What changed.</param>
/// <param name="Id">The authorization id for <see cref="StoreChangeKind.Authorization"/>; 0 otherwise.</param>
public readonly record struct StoreChange(StoreChangeKind Kind, long Id = 0);
