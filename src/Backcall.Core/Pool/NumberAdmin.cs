using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Core.Pool;

/// <summary>Operator actions on the number pool, shared by the CLI, the admin API and the console.</summary>
public sealed class NumberAdmin(
    ICatalogStore store,
    Catalog.CatalogCache catalog,
    PhoneParser phones,
    TimeProvider time)
{
    /// <summary>
    /// Parses an operator's number; carriers' new ranges may be unknown to libphonenumber, so "possible" is enough.
    /// </summary>
    public E164Phone Parse(string number) =>
        phones.TryNormalize(number, phones.DefaultRegion, requireValid: false, out var e164)
            ? e164
            : throw new ArgumentException(
                $"'{number}' is not a phone number; write it in E.164 "
                    + $"(+79640000001) or a national form of {phones.DefaultRegion}");

    /// <summary>Adds a number; false when the pool has it already.</summary>
    public async Task<bool> AddAsync(string number, CancellationToken cancellationToken = default)
    {
        var added = await store
            .AddNumberAsync(Parse(number), time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        await catalog.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    public Task<IReadOnlyList<PoolNumber>> ListAsync(CancellationToken cancellationToken = default) =>
        store.ListNumbersAsync(cancellationToken);

    public async Task<bool> SetEnabledAsync(string number, bool enabled, CancellationToken cancellationToken = default)
    {
        var found = await store.SetNumberEnabledAsync(Parse(number), enabled, cancellationToken).ConfigureAwait(false);
        await catalog.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>Removes a number. Authorizations already on it stay valid until they end.</summary>
    public async Task<bool> RemoveAsync(string number, CancellationToken cancellationToken = default)
    {
        var found = await store.RemoveNumberAsync(Parse(number), cancellationToken).ConfigureAwait(false);
        await catalog.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }
}
