using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Tokens;

namespace Backcall.Core.Storage;

/// <summary>
/// Tokens and pool numbers: what the operator manages and <see cref="Catalog.CatalogCache"/> keeps in memory.
/// </summary>
public interface ICatalogStore
{
    /// <summary>A number that changes whenever tokens or numbers change, so caches know when to reload.</summary>
    Task<long> GetCatalogVersionAsync(CancellationToken cancellationToken = default);

    Task<Token> CreateTokenAsync(NewToken token, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Token>> ListTokensAsync(CancellationToken cancellationToken = default);

    Task<Token?> GetTokenAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Applies a change to a token; null when no such token.</summary>
    Task<Token?> UpdateTokenAsync(long id, TokenChange change, CancellationToken cancellationToken = default);

    /// <summary>Adds a number to the pool; false when it is there already.</summary>
    Task<bool> AddNumberAsync(E164Phone number, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PoolNumber>> ListNumbersAsync(CancellationToken cancellationToken = default);

    Task<bool> SetNumberEnabledAsync(E164Phone number, bool enabled, CancellationToken cancellationToken = default);

    Task<bool> RemoveNumberAsync(E164Phone number, CancellationToken cancellationToken = default);
}
