namespace Backcall.Core.SignIn;

/// <summary>
/// An application that signs its users in through Backcall's OpenID Connect provider, as the operator
/// registered it. Its sign-ins are authorizations of <see cref="TokenId"/>: that token's quota and limits apply.
/// </summary>
public sealed record SignInClient
{
    /// <summary>The OAuth <c>client_id</c>: random, so one client cannot guess another's.</summary>
    public required string ClientId { get; init; }

    public required string Name { get; init; }

    /// <summary>The only addresses a code is ever sent to, compared exactly (no prefix, no wildcard).</summary>
    public required IReadOnlyList<string> RedirectUris { get; init; }

    /// <summary>A public client (a single-page or mobile app) has no secret and must use PKCE.</summary>
    public required bool IsPublic { get; init; }

    /// <summary>
    /// SHA-256 of the client secret (<see cref="Tokens.TokenSecrets.Hash"/>); null for a public client.
    /// </summary>
    public string? SecretHash { get; init; }

    public required long TokenId { get; init; }

    public bool Disabled { get; init; }

    /// <summary>
    /// Whether the sign-in page offers "just call" (identify mode), which holds a pool number exclusively for the
    /// authorization's lifetime. Off, the page offers only "enter my phone" and the server refuses identify mode.
    /// </summary>
    public bool JustCall { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A client just created, or whose secret was just replaced: the only moment the secret is shown.</summary>
public sealed record CreatedClient(SignInClient Client, string? Secret);

/// <summary>A change to a client; null members stay as they are.</summary>
public sealed record ClientChange(bool? Disabled = null, string? SecretHash = null, bool? JustCall = null);
