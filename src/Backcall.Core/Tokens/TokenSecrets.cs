using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Backcall.Core.Tokens;

/// <summary>Makes and hashes API tokens and webhook secrets.</summary>
/// <remarks>
/// Tokens keep the hosted service's shape (a UUID) so clients that validate it keep working; all 122 random
/// bits come from the OS CSPRNG. With that much entropy an unsalted SHA-256 is enough at rest: there is no
/// dictionary to attack, and lookups by hash stay O(1).
/// </remarks>
public static class TokenSecrets
{
    public const int PrefixLength = 8;

    public static string NewToken() => Guid.NewGuid().ToString("D");

    public static string NewWebhookSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A random URL-safe key (QR image URLs, admin keys).</summary>
    public static string NewKey(int bytes = 16) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    public static string Hash(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim().ToLowerInvariant()), hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string PrefixOf(string token) => token.Length <= PrefixLength ? token : token[..PrefixLength];
}
