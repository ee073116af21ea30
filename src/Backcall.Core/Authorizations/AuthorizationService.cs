using Backcall.Core.Catalog;
using Backcall.Core.Phones;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Backcall.Core.Authorizations;

/// <summary>
/// Creates authorizations (number allocation, quota, limits, superseding) and answers checks. A request
/// refused for bad input, quota or a limit takes no per-phone slot and reserves no number: one app's
/// refusals never count against a phone for the others.
/// </summary>
/// <remarks>
/// Identify mode (no phone given): the authorization gets a number that nothing else waits on, and no other
/// authorization gets that number while it is live, so the first usable caller ID on it is the answer. It is
/// charged like any request; the per-token request rate applies, the per-phone limits cannot (no phone).
/// </remarks>
public sealed class AuthorizationService
{
    private readonly IAuthorizationStore _store;
    private readonly CatalogCache _catalog;
    private readonly AuthorizationIndex _index;
    private readonly IWebhookUrlPolicy _webhookPolicy;
    private readonly TimeProvider _time;
    private readonly AuthorizationOptions _options;
    private readonly PhoneParser _phones;
    private readonly PhoneRateLimiter<(long TokenId, string Phone)> _perTokenPhone;
    private readonly PhoneRateLimiter<string> _perPhone;

    public AuthorizationService(
        IAuthorizationStore store,
        CatalogCache catalog,
        AuthorizationIndex index,
        IWebhookUrlPolicy webhookPolicy,
        PhoneParser phones,
        IOptions<AuthorizationOptions> options,
        TimeProvider time)
    {
        _store = store;
        _catalog = catalog;
        _index = index;
        _webhookPolicy = webhookPolicy;
        _phones = phones;
        _time = time;
        _options = options.Value;
        _perTokenPhone = new(_options.PerPhoneLimit, _options.PerPhoneWindow, time);
        _perPhone = new(_options.PerPhoneTotalLimit, _options.PerPhoneWindow, time);
    }

    /// <summary>The answer to a phone sent blank: not identify mode, which is asked for by sending no phone.</summary>
    public static readonly string BlankPhone =
        $"phone is blank; send the user's phone ({PhoneParser.AcceptedForms}) "
            + "or leave phone out to identify the caller";

    /// <summary>Raised after an authorization was created (already durable).</summary>
    public event Action<Authorization>? Created;

    /// <summary>
    /// Creates an authorization for <paramref name="rawPhone"/>, or in identify mode when it is null or empty.
    /// </summary>
    public async Task<CreateOutcome> CreateAsync(
        Token token,
        string? rawPhone,
        string? webhook,
        bool notifyExpired,
        CancellationToken cancellationToken)
    {
        E164Phone? phone = null;
        if (!string.IsNullOrEmpty(rawPhone))
        {
            if (!_phones.TryNormalize(rawPhone, out var normalized))
            {
                return CreateOutcome.Fail(CreateFailure.BadPhone, string.IsNullOrWhiteSpace(rawPhone)
                    ? BlankPhone
                    : $"phone '{Truncate(rawPhone)}' is not a valid phone "
                        + $"number; accepted forms: {PhoneParser.AcceptedForms}");
            }

            phone = normalized;
        }

        return await ChargeAndAllocateAsync(token, phone, webhook, notifyExpired, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<CreateOutcome> ChargeAndAllocateAsync(
        Token token,
        E164Phone? phone,
        string? webhook,
        bool notifyExpired,
        CancellationToken cancellationToken)
    {
        if (webhook is not null)
        {
            var problem = await _webhookPolicy.ValidateAsync(webhook, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return CreateOutcome.Fail(CreateFailure.BadWebhook, problem);
            }
        }

        // The catalog's copy of the token is at most a moment old; the store charges the current one.
        var known = _catalog.FindToken(token.Id) ?? token;
        if (known.Disabled)
        {
            return TokenDisabled();
        }

        if (!QuotaRules.CanPay(known))
        {
            return QuotaExhausted();
        }

        if (phone is not { } user)
        {
            return await AllocateAsync(token, null, webhook, notifyExpired, cancellationToken).ConfigureAwait(false);
        }

        if (TakeSlot(token.Id, user) is { } limited)
        {
            return limited;
        }

        var outcome = await AllocateAsync(token, user, webhook, notifyExpired, cancellationToken).ConfigureAwait(false);
        if (outcome.Authorization is null)
        {
            _perTokenPhone.Refund((token.Id, user.Value));
            _perPhone.Refund(user.Value);
        }

        return outcome;
    }

    /// <summary>
    /// The authorization with this id if it belongs to the token; reads the database only for old ones.
    /// </summary>
    public async ValueTask<Authorization?> FindAsync(Token token, long id, CancellationToken cancellationToken)
    {
        if (!_index.TryGet(id, out var authorization))
        {
            authorization = await _store.GetAuthorizationAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return authorization is not null && authorization.TokenId == token.Id ? authorization : null;
    }

    /// <summary>The authorization of a QR image's key, from the store (memory keeps no map by key).</summary>
    public Task<Authorization?> FindByQrKeyAsync(string key, CancellationToken cancellationToken) =>
        _store.GetAuthorizationByQrKeyAsync(key, cancellationToken);

    /// <summary>Identify mode's room now, for metrics and the console (see <see cref="IdentifyCapacity"/>).</summary>
    public IdentifyCapacity GetIdentifyCapacity()
    {
        var now = _time.GetUtcNow();
        var pool = _catalog.EnabledNumbers;
        return new IdentifyCapacity(
            _index.CountLiveIdentify(now),
            _index.CountFreeForIdentify(pool, now),
            pool.Count,
            _options.Lifetime);
    }

    /// <summary>One slot of the token's per-phone limit and one of the phone's limit across all tokens.</summary>
    private CreateOutcome? TakeSlot(long tokenId, E164Phone phone)
    {
        if (!_perTokenPhone.TryAcquire((tokenId, phone.Value), out var retryAfter))
        {
            return PhoneRateLimited(retryAfter);
        }

        if (!_perPhone.TryAcquire(phone.Value, out retryAfter))
        {
            _perTokenPhone.Refund((tokenId, phone.Value));
            return PhoneRateLimited(retryAfter);
        }

        return null;
    }

    /// <param name="phone">The user's phone, or null in identify mode.</param>
    private async Task<CreateOutcome> AllocateAsync(
        Token token,
        E164Phone? phone,
        string? webhook,
        bool notifyExpired,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var pool = _catalog.EnabledNumbers;

        // A user who taps twice gets a new number, and the old one is free again: the token's older
        // pending authorizations of this phone end as expired when this one is written. Identify mode
        // has no phone to tell a second tap by, so nothing is superseded.
        List<long> replacing = phone is { } user
            ? [.. _index.PendingOf(user, pool, now).Where(a => a.TokenId == token.Id).Select(a => a.Id)]
            : [];

        // A number can be taken by another node between our choice and the insert (the database lease
        // says so); then we choose again among the rest. Bounded: each round removes one candidate.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var capped = false;
            var number = phone is { } p
                ? _index.Reserve(pool, p, now, token.Id, replacing, _options.MaxLivePerTokenPhone, out capped)
                : _index.ReserveExclusive(pool, now, token.Id, IdentifyShareOf(pool), out capped);
            if (capped)
            {
                return phone is null ? IdentifyShareReached(pool) : PhoneRateLimited(TimeSpan.FromSeconds(1));
            }

            if (number is null)
            {
                return NoFreeNumber(pool, phone, now);
            }

            var request = new NewAuthorization(
                token.Id,
                phone,
                number.Value,
                TokenSecrets.NewKey(),
                now,
                now + _options.Lifetime,
                webhook,
                notifyExpired || token.NotifyExpired)
            {
                Supersedes = replacing,
            };
            CreateAuthorizationResult result;
            try
            {
                result = await _store.CreateAuthorizationAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _index.Release(number.Value, phone);
                throw;
            }

            switch (result.Error)
            {
                case CreateAuthorizationError.None:
                    foreach (var old in result.Superseded)
                    {
                        _index.Upsert(old);
                    }

                    _index.Upsert(result.Authorization!);
                    Created?.Invoke(result.Authorization!);
                    return CreateOutcome.Created(result.Authorization!);
                case CreateAuthorizationError.QuotaExhausted:
                    _index.Release(number.Value, phone);
                    return QuotaExhausted();
                case CreateAuthorizationError.TokenDisabled:
                    _index.Release(number.Value, phone);
                    return TokenDisabled();
                case CreateAuthorizationError.NumberTaken:
                    pool = [.. pool.Where(n => n != number.Value)];
                    _index.Release(number.Value, phone);
                    break;
            }
        }

        return NoFreeNumber(pool, phone, now);
    }

    private CreateOutcome NoFreeNumber(IReadOnlyList<E164Phone> pool, E164Phone? phone, DateTimeOffset now)
    {
        if (pool.Count == 0)
        {
            return CreateOutcome.Fail(
                CreateFailure.NoFreeNumber,
                "no numbers are available in the pool",
                TimeSpan.FromSeconds(30));
        }

        var free = phone is { } user
            ? _index.EarliestExpiryFor(user, pool, now)
            : _index.EarliestFreeForIdentify(pool, now);
        var retry = free is null ? TimeSpan.FromSeconds(1) : free.Value - now;
        return CreateOutcome.Fail(
            CreateFailure.NoFreeNumber,
            phone is null
                ? "every number of the pool is in use, and a request "
                    + "without phone needs a number of its own; try again later"
                : "every number of the pool is waiting for a call from this phone; try again later",
            retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry);
    }

    /// <summary>
    /// The most numbers one token may hold whole in identify mode: its share of the pool, at least one, so
    /// that one app signing users in cannot take every number away from the other apps' verifications.
    /// </summary>
    private int IdentifyShareOf(IReadOnlyList<E164Phone> pool) =>
        Math.Max(1, pool.Count * _options.IdentifyPoolShare / 100);

    private CreateOutcome IdentifyShareReached(IReadOnlyList<E164Phone> pool) =>
        CreateOutcome.Fail(
            CreateFailure.IdentifyShareReached,
            $"this token holds {IdentifyShareOf(pool)} numbers in identify mode, its share of the pool "
            + $"({_options.IdentifyPoolShare}% of {pool.Count}); try again when one is called or expires",
            TimeSpan.FromSeconds(5));

    private static CreateOutcome PhoneRateLimited(TimeSpan retryAfter) =>
        CreateOutcome.Fail(
            CreateFailure.PhoneRateLimited,
            "too many authorization requests for this phone; try again later",
            retryAfter);

    private static CreateOutcome QuotaExhausted() =>
        CreateOutcome.Fail(
            CreateFailure.QuotaExhausted,
            "the token's free requests and balance are used up; top up the balance");

    private static CreateOutcome TokenDisabled() =>
        CreateOutcome.Fail(CreateFailure.TokenDisabled, "token is disabled");

    private static string Truncate(string s) => s.Length <= 32 ? s : s[..32] + "…";
}
