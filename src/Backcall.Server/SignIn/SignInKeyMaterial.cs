using System.Security.Cryptography;
using Backcall.Core.SignIn;
using Microsoft.IdentityModel.Tokens;

namespace Backcall.Server.SignIn;

/// <summary>
/// The provider's keys decrypted for one moment: which signs, which are only published, which decrypt.
/// </summary>
public sealed class SignInKeyMaterial
{
    /// <summary>Keys that sign and verify, the newest (the one that signs) first.</summary>
    public required IReadOnlyList<RsaSecurityKey> Signing { get; init; }

    /// <summary>Rotated-in keys not signing yet: only published, so clients know them in advance.</summary>
    public required IReadOnlyList<RsaSecurityKey> Upcoming { get; init; }

    /// <summary>Keys that encrypt codes and access tokens, the newest first; all of them decrypt.</summary>
    public required IReadOnlyList<SymmetricSecurityKey> Encryption { get; init; }

    /// <summary>The deployment's secret: pairwise subjects and the sign-in page's tickets.</summary>
    public required byte[] Secret { get; init; }

    /// <summary>Changes whenever the set of keys or their roles change.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The next moment a key activates or retires, when the material must be read again.</summary>
    public DateTimeOffset? NextChange { get; init; }

    public static SignInKeyMaterial From(
        IReadOnlyList<SignInKey> keys, SignInKeyProtector protector, DateTimeOffset now)
    {
        var live = keys.Where(k => !k.IsRetiredAt(now)).ToList();
        var active = live
            .Where(k => k.IsActiveAt(now))
            .OrderByDescending(k => k.ActivatesAt)
            .ThenByDescending(k => k.CreatedAt)
            .ToList();
        var signing = active.Where(k => k.Use == SignInKeyUse.Signing).ToList();
        var encryption = active.Where(k => k.Use == SignInKeyUse.Encryption).ToList();

        // The oldest secret in force: two nodes that raced on first start pick the same one.
        var secret = live
            .Where(k => k.Use == SignInKeyUse.Secret)
            .OrderBy(k => k.CreatedAt)
            .ThenBy(k => k.KeyId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (signing.Count == 0 || encryption.Count == 0 || secret is null)
        {
            throw new InvalidOperationException(
                "the sign-in provider has no key in force; restart the server to create one");
        }

        var upcoming = live.Where(k => k.Use == SignInKeyUse.Signing && k.ActivatesAt > now).ToList();
        var changes = keys
            .SelectMany(k => new[] { k.ActivatesAt, k.RetiresAt ?? DateTimeOffset.MaxValue })
            .Where(t => t > now)
            .ToList();
        return new SignInKeyMaterial
        {
            Signing = [.. signing.Select(k => Rsa(k, protector))],
            Upcoming = [.. upcoming.Select(k => Rsa(k, protector))],
            Encryption =
            [
                .. encryption.Select(k =>
                    new SymmetricSecurityKey(protector.Unprotect(k.ProtectedKey, k.KeyId)) { KeyId = k.KeyId })
            ],
            Secret = protector.Unprotect(secret.ProtectedKey, secret.KeyId),
            Fingerprint = string.Join(',', signing.Concat(upcoming).Concat(encryption).Select(k => k.KeyId)),
            NextChange = changes.Count == 0 ? null : changes.Min(),
        };
    }

    private static RsaSecurityKey Rsa(SignInKey key, SignInKeyProtector protector)
    {
        var rsa = RSA.Create();
        var pkcs8 = protector.Unprotect(key.ProtectedKey, key.KeyId);
        try
        {
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return new RsaSecurityKey(rsa) { KeyId = key.KeyId };
    }
}
