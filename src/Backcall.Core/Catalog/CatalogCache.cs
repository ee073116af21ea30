using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;

namespace Backcall.Core.Catalog;

/// <summary>
/// Tokens and pool numbers, cached in memory and reloaded when the store's catalog version moves, so the
/// CLI (a separate process writing the same database) takes effect on a running server without a restart.
/// </summary>
public sealed class CatalogCache(ICatalogStore store)
{
    private const int MaxRememberedSpellings = 10_000;

    private volatile Snapshot _snapshot = Snapshot.Empty;
    private readonly SemaphoreSlim _reload = new(1, 1);

    public long Version => _snapshot.Version;

    /// <summary>Enabled pool numbers.</summary>
    public IReadOnlyList<E164Phone> EnabledNumbers => _snapshot.Enabled;

    public bool TryAuthenticate(string token, out Token record)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            record = null!;
            return false;
        }

        // Every API request authenticates: remember the tokens seen, so a poll costs a dictionary look-up
        // instead of a SHA-256 and three allocations. Only tokens that exist are remembered, and only so
        // many spellings (the hash ignores case), so the cache cannot be grown by guessing.
        var snapshot = _snapshot;
        if (snapshot.Seen.TryGetValue(token, out record!))
        {
            return true;
        }

        if (!snapshot.ByHash.TryGetValue(TokenSecrets.Hash(token), out record!))
        {
            return false;
        }

        if (snapshot.Seen.Count < MaxRememberedSpellings)
        {
            snapshot.Seen.TryAdd(token, record);
        }

        return true;
    }

    public Token? FindToken(long id) => _snapshot.ById.GetValueOrDefault(id);

    /// <summary>Reloads when the store says something changed (cheap when nothing did).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var version = await store.GetCatalogVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version == _snapshot.Version && _snapshot != Snapshot.Empty)
        {
            return;
        }

        await ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reloads now (after a change made through this process).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Read the version first: a change racing with the reload then bumps it past what we store, and
            // the next refresh reloads again instead of missing it.
            var version = await store.GetCatalogVersionAsync(cancellationToken).ConfigureAwait(false);
            var tokens = await store.ListTokensAsync(cancellationToken).ConfigureAwait(false);
            var numbers = await store.ListNumbersAsync(cancellationToken).ConfigureAwait(false);
            _snapshot = new Snapshot(
                version,
                tokens.ToDictionary(t => t.Hash, StringComparer.Ordinal),
                tokens.ToDictionary(t => t.Id),
                [.. numbers.Where(n => n.Enabled).Select(n => n.Number)]);
        }
        finally
        {
            _reload.Release();
        }
    }

    private sealed record Snapshot(
        long Version,
        IReadOnlyDictionary<string, Token> ByHash,
        IReadOnlyDictionary<long, Token> ById,
        IReadOnlyList<E164Phone> Enabled)
    {
        /// <summary>Tokens as presented, for this snapshot only: a reload (a disabled token) starts afresh.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, Token> Seen { get; } =
            new(StringComparer.Ordinal);

        public static readonly Snapshot Empty = new(
            -1,
            new Dictionary<string, Token>(),
            new Dictionary<long, Token>(),
            []);
    }
}
