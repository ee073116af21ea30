using Backcall.Core.Authorizations;
using Backcall.Core.Phones;

namespace Backcall.Core.Storage;

/// <summary>
/// Authorizations as <see cref="AuthorizationService"/> and <see cref="ExpiryService"/> decided them. Each
/// change is one transaction; a change whose premise no longer holds (another node got there first) is
/// reported, not forced, and the core decides again.
/// </summary>
public interface IAuthorizationStore
{
    /// <summary>
    /// In one transaction: ends the authorizations the request supersedes, charges the token as
    /// <see cref="Tokens.QuotaRules.Charge"/> says, inserts the authorization and takes the lease of
    /// (number, user phone). The lease is taken only when no live authorization holds it, and no live lease
    /// conflicts with it on the number (an identify authorization's lease, without phone, excludes every other),
    /// which makes allocation race-free across nodes; when it is held, nothing at all is written.
    /// </summary>
    Task<CreateAuthorizationResult> CreateAuthorizationAsync(
        NewAuthorization authorization,
        CancellationToken cancellationToken = default);

    Task<Authorization?> GetAuthorizationAsync(long id, CancellationToken cancellationToken = default);

    Task<Authorization?> GetAuthorizationByQrKeyAsync(string qrKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// What a call from <paramref name="caller"/> to <paramref name="called"/> can be judged against, for a call this
    /// node's memory has no answer for (an authorization created on another node a moment ago): the newest
    /// authorization of the pair and the newest identify authorization on the number, each in any state, or null.
    /// </summary>
    /// <remarks>One read for both: every call from a stranger to the number makes it.</remarks>
    Task<CallCandidates> FindCallCandidatesAsync(
        E164Phone called,
        E164Phone caller,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Authorizations still pending, or finished at or after <paramref name="finishedSince"/>: the in-memory working
    /// set.
    /// </summary>
    Task<IReadOnlyList<Authorization>> LoadWorkingSetAsync(
        DateTimeOffset finishedSince,
        CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Authorization>> ListAuthorizationsAsync(
        AuthorizationQuery query,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks each given authorization expired if it is still pending, and queues its notice if one is given,
    /// in one transaction. Returns the ones it expired (the others were confirmed or expired meanwhile).
    /// </summary>
    Task<IReadOnlyList<Authorization>> ExpireAsync(
        IReadOnlyList<Expiration> expirations,
        CancellationToken cancellationToken = default);
}
