namespace Backcall.Core.Tokens;

/// <summary>An API token as stored: only the hash of the secret part, never the token itself.</summary>
public sealed record Token
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    /// <summary>SHA-256 of the token, lowercase hex (see <see cref="TokenSecrets.Hash"/>).</summary>
    public required string Hash { get; init; }

    /// <summary>The first characters of the token, so an operator can tell tokens apart.</summary>
    public required string Prefix { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public bool Disabled { get; init; }

    public decimal Balance { get; init; }

    public decimal Price { get; init; }

    /// <summary>How far below zero the balance may go.</summary>
    public decimal BalanceLimit { get; init; }

    /// <summary>Free authorizations left (the trial quota of a new token).</summary>
    public int FreeLeft { get; init; }

    /// <summary>The webhook signing secret (<c>whsec_…</c>): kept readable because signing needs it.</summary>
    public required string WebhookSecret { get; init; }

    /// <summary>
    /// The secret before the last rotation, still valid for signing until <see cref="PreviousSecretExpiresAt"/>.
    /// </summary>
    public string? PreviousWebhookSecret { get; init; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>Send <c>success=False</c> webhooks when an authorization expires unconfirmed.</summary>
    public bool NotifyExpired { get; init; }

    /// <summary>Authorizations created with this token, all time.</summary>
    public long Used { get; init; }
}
