using Backcall.Core.Storage;
using Microsoft.Extensions.Options;

namespace Backcall.Core.Tokens;

/// <summary>A token just created: the only moment its secret and webhook secret are shown.</summary>
public sealed record CreatedToken(Token Token, string Secret);

/// <summary>Operator actions on tokens, shared by the CLI, the admin API and the console.</summary>
public sealed class TokenAdmin(
    ICatalogStore store,
    Catalog.CatalogCache catalog,
    IOptions<TokenOptions> options,
    TimeProvider time)
{
    public async Task<CreatedToken> CreateAsync(
        string name,
        decimal? price = null,
        decimal? balanceLimit = null,
        int? freeRequests = null,
        bool notifyExpired = false,
        CancellationToken cancellationToken = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is 0 or > 100)
        {
            throw new ArgumentException("token name must be 1 to 100 characters", nameof(name));
        }

        var o = options.Value;
        var secret = TokenSecrets.NewToken();
        var token = await store
            .CreateTokenAsync(
                new NewToken(
                    name,
                    TokenSecrets.Hash(secret),
                    TokenSecrets.PrefixOf(secret),
                    TokenSecrets.NewWebhookSecret(),
                    NonNegative(price ?? o.DefaultPrice, "price"),
                    NonNegative(balanceLimit ?? o.DefaultBalanceLimit, "balance limit"),
                    freeRequests is < 0
                        ? throw new ArgumentException("free requests cannot be negative", nameof(freeRequests))
                        : freeRequests ?? o.FreeRequests,
                    notifyExpired,
                    time.GetUtcNow()),
                cancellationToken)
            .ConfigureAwait(false);
        await catalog.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedToken(token, secret);
    }

    public Task<IReadOnlyList<Token>> ListAsync(CancellationToken cancellationToken = default) =>
        store.ListTokensAsync(cancellationToken);

    public Task<Token?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        store.GetTokenAsync(id, cancellationToken);

    public Task<Token?> SetDisabledAsync(long id, bool disabled, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, new TokenChange { Disabled = disabled }, cancellationToken);

    public Task<Token?> TopUpAsync(long id, decimal amount, CancellationToken cancellationToken = default)
    {
        if (amount == 0 || Math.Abs(amount) > 1_000_000_000m)
        {
            throw new ArgumentException(
                "top-up amount must be non-zero and at most 1,000,000,000 in size",
                nameof(amount));
        }

        return ChangeAsync(id, new TokenChange { TopUp = amount }, cancellationToken);
    }

    /// <summary>Replaces the webhook secret; the old one keeps signing during the grace period.</summary>
    public Task<Token?> RotateWebhookSecretAsync(long id, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, new TokenChange
        {
            NewWebhookSecret = TokenSecrets.NewWebhookSecret(),
            PreviousSecretExpiresAt = time.GetUtcNow() + options.Value.SecretRotationGrace,
        }, cancellationToken);

    public async Task<Token?> ChangeAsync(long id, TokenChange change, CancellationToken cancellationToken = default)
    {
        if (change.Price is < 0 || change.BalanceLimit is < 0 || change.FreeLeft is < 0)
        {
            throw new ArgumentException("price, balance limit and free requests cannot be negative", nameof(change));
        }

        var token = await store.UpdateTokenAsync(id, change, cancellationToken).ConfigureAwait(false);
        await catalog.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return token;
    }

    private static decimal NonNegative(decimal value, string what) =>
        value < 0 ? throw new ArgumentException($"{what} cannot be negative") : value;
}
