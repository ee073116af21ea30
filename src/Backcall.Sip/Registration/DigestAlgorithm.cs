using System.Security.Cryptography;
using System.Text;

namespace Backcall.Sip.Registration;

/// <summary>The Digest algorithms we answer (RFC 7616 §3.2, RFC 8760): MD5 and SHA-256, plain or -sess.</summary>
internal sealed class DigestAlgorithm
{
    private readonly Func<byte[], byte[]> _hash;

    private DigestAlgorithm(string name, int strength, bool session, Func<byte[], byte[]> hash)
    {
        Name = name;
        Strength = strength;
        IsSession = session;
        _hash = hash;
    }

    /// <summary>The name as written in <c>algorithm=</c>.</summary>
    public string Name { get; }

    /// <summary>Preference among several challenges: higher wins (RFC 8760 §2.4: the strongest first).</summary>
    public int Strength { get; }

    public bool IsSession { get; }

    /// <summary>The algorithm named by a challenge, or null when we do not support it (e.g. SHA-512-256).</summary>
    public static DigestAlgorithm? Find(string name) => name.ToUpperInvariant() switch
    {
        "MD5" => new("MD5", 1, false, MD5.HashData),
        "MD5-SESS" => new("MD5-sess", 1, true, MD5.HashData),
        "SHA-256" => new("SHA-256", 2, false, SHA256.HashData),
        "SHA-256-SESS" => new("SHA-256-sess", 2, true, SHA256.HashData),
        _ => null,
    };

    /// <summary>Lower-case hex of the hash of the UTF-8 text.</summary>
    public string H(string text) => Convert.ToHexStringLower(_hash(Encoding.UTF8.GetBytes(text)));
}
