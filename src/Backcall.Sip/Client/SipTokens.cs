using System.Security.Cryptography;

namespace Backcall.Sip.Client;

/// <summary>
/// Random tokens of our client requests: branches, tags, Call-IDs, cnonces and a registration's line secret.
/// </summary>
internal static class SipTokens
{
    /// <summary>Lower-case hex of <paramref name="bytes"/> random bytes (16 bytes, 128 bits, for secrets).</summary>
    public static string New(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
