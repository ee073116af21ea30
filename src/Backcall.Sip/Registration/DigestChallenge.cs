using Backcall.Sip.Parsing;

namespace Backcall.Sip.Registration;

/// <summary>
/// One Digest challenge from a <c>WWW-Authenticate</c> (401) or <c>Proxy-Authenticate</c> (407) header
/// (RFC 7616 §3.3, as SIP uses it: RFC 3261 §22.4, RFC 8760).
/// </summary>
internal sealed record DigestChallenge
{
    public required string Realm { get; init; }

    public required string Nonce { get; init; }

    public string? Opaque { get; init; }

    /// <summary>The algorithm as named by the server (default MD5).</summary>
    public string Algorithm { get; init; } = "MD5";

    /// <summary>The qop options offered, lower-cased; empty for an RFC 2069 challenge.</summary>
    public IReadOnlyList<string> Qop { get; init; } = [];

    /// <summary>The previous nonce was valid but expired: answer again with this one, it is no failure.</summary>
    public bool Stale { get; init; }

    /// <summary>The server wants the user name hashed (RFC 7616 §3.4.4).</summary>
    public bool UserHash { get; init; }

    /// <summary>True for a 407 (proxy) challenge: the answer goes in <c>Proxy-Authorization</c>.</summary>
    public bool IsProxy { get; init; }

    /// <summary>Parses one header value; null when it is not a usable Digest challenge.</summary>
    public static DigestChallenge? TryParse(string value, bool isProxy)
    {
        var text = value.AsSpan().Trim();
        const string Scheme = "Digest";
        if (text.Length <= Scheme.Length || !text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || !char.IsWhiteSpace(text[Scheme.Length]))
        {
            return null;
        }

        var parts = new List<string>();
        HeaderValueSplitter.Split(text[Scheme.Length..].ToString(), parts);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts)
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            map.TryAdd(part[..eq].Trim(), Unquote(part[(eq + 1)..].Trim()));
        }

        if (!map.TryGetValue("realm", out var realm) || !map.TryGetValue("nonce", out var nonce) || nonce.Length == 0)
        {
            return null;
        }

        return new DigestChallenge
        {
            Realm = realm,
            Nonce = nonce,
            Opaque = map.GetValueOrDefault("opaque"),
            Algorithm = map.GetValueOrDefault("algorithm") is { Length: > 0 } algorithm ? algorithm : "MD5",
            Qop = map.TryGetValue("qop", out var qop)
                ? qop.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(q => q.ToLowerInvariant()).ToArray()
                : [],
            Stale = string.Equals(map.GetValueOrDefault("stale"), "true", StringComparison.OrdinalIgnoreCase),
            UserHash = string.Equals(map.GetValueOrDefault("userhash"), "true", StringComparison.OrdinalIgnoreCase),
            IsProxy = isProxy,
        };
    }

    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }

        var inner = value.AsSpan(1, value.Length - 2);
        var sb = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length)
            {
                i++;
            }

            sb.Append(inner[i]);
        }

        return sb.ToString();
    }
}
