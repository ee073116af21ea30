namespace Backcall.Core.SignIn;

/// <summary>What a key of the sign-in provider is for.</summary>
public enum SignInKeyUse
{
    /// <summary>Signs identity and access tokens (RSA); its public half is published in the JWKS.</summary>
    Signing = 0,

    /// <summary>Encrypts authorization codes and access tokens, which only this server reads (AES).</summary>
    Encryption = 1,

    /// <summary>The per-deployment secret of pairwise subjects and of the sign-in page's tickets.</summary>
    Secret = 2,
}

/// <summary>
/// A key of the sign-in provider as the database keeps it: the key material encrypted with the key file of
/// the data directory, so a copy of the database alone signs nothing. Every node reads the same keys.
/// </summary>
/// <param name="KeyId">The JWK <c>kid</c>.</param>
/// <param name="ProtectedKey">The key material, encrypted at rest.</param>
/// <param name="ActivatesAt">From when it signs (encrypts); before that it is only published, so that
/// clients already know it when the first token signed with it arrives.</param>
/// <param name="RetiresAt">From when it is no longer published nor accepted; null while it is current.</param>
public sealed record SignInKey(
    string KeyId,
    SignInKeyUse Use,
    string ProtectedKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    DateTimeOffset? RetiresAt)
{
    public bool IsRetiredAt(DateTimeOffset now) => RetiresAt is { } r && r <= now;

    public bool IsActiveAt(DateTimeOffset now) => ActivatesAt <= now && !IsRetiredAt(now);
}
