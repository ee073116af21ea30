using System.Globalization;
using System.Text;
using Backcall.Sip.Client;

namespace Backcall.Sip.Registration;

/// <summary>
/// Answers Digest challenges for one account (RFC 7616 §3.4 as SIP uses it, RFC 8760): keeps the last
/// challenge and its nonce count so that refreshes authenticate at once, with the next nc.
/// </summary>
internal sealed class DigestCredentials(string username, string password, string? realm)
{
    private DigestChallenge? _challenge;
    private DigestAlgorithm? _algorithm;
    private int _nonceCount;

    /// <summary>The challenge being answered, if any (kept across refreshes).</summary>
    public DigestChallenge? Challenge => _challenge;

    /// <summary>Makes CNonce deterministic for tests (RFC 7616 §3.9.1 example); random otherwise.</summary>
    internal Func<string> NewCnonce { get; init; } = () => SipTokens.New(16);

    /// <summary>
    /// Takes the best usable challenge of a 401/407 (the strongest algorithm we support, in our realm).
    /// Returns a reason when none is usable.
    /// </summary>
    public string? Accept(IEnumerable<DigestChallenge> challenges)
    {
        DigestChallenge? best = null;
        DigestAlgorithm? bestAlgorithm = null;
        string reason = "no Digest challenge";
        foreach (var challenge in challenges)
        {
            if (realm is not null && !string.Equals(challenge.Realm, realm, StringComparison.Ordinal))
            {
                reason = $"challenge for realm '{challenge.Realm}', not the configured '{realm}'";
                continue;
            }

            if (challenge.Qop.Count > 0 && !challenge.Qop.Contains("auth"))
            {
                reason = $"challenge asks qop={string.Join(',', challenge.Qop)}; only auth is supported";
                continue;
            }

            var algorithm = DigestAlgorithm.Find(challenge.Algorithm);
            if (algorithm is null)
            {
                reason = $"unsupported Digest algorithm {challenge.Algorithm}";
                continue;
            }

            if (bestAlgorithm is null || algorithm.Strength > bestAlgorithm.Strength)
            {
                (best, bestAlgorithm) = (challenge, algorithm);
            }
        }

        if (best is null)
        {
            return reason;
        }

        _challenge = best;
        _algorithm = bestAlgorithm;
        _nonceCount = 0;
        return null;
    }

    /// <summary>Forgets the challenge (a new connection or a new registrar: start unauthenticated).</summary>
    public void Reset()
    {
        _challenge = null;
        _algorithm = null;
        _nonceCount = 0;
    }

    /// <summary>The (Proxy-)Authorization header line for a request, or null without a challenge.</summary>
    public string? Authorize(string method, string uri)
    {
        if (_challenge is not { } challenge || _algorithm is null)
        {
            return null;
        }

        return $"{(challenge.IsProxy ? "Proxy-Authorization" : "Authorization")}: {Response(method, uri)}";
    }

    /// <summary>The credentials value (<c>Digest username=..., response=...</c>) for the current challenge.</summary>
    internal string Response(string method, string uri)
    {
        var challenge = _challenge!;
        var algorithm = _algorithm!;
        var qop = challenge.Qop.Count > 0;
        var nc = (++_nonceCount).ToString("x8", CultureInfo.InvariantCulture);
        var cnonce = qop || algorithm.IsSession ? NewCnonce() : null;
        var ha1 = algorithm.H($"{username}:{challenge.Realm}:{password}");
        if (algorithm.IsSession)
        {
            ha1 = algorithm.H($"{ha1}:{challenge.Nonce}:{cnonce}");
        }

        var ha2 = algorithm.H($"{method}:{uri}");
        var response = qop
            ? algorithm.H($"{ha1}:{challenge.Nonce}:{nc}:{cnonce}:auth:{ha2}")
            : algorithm.H($"{ha1}:{challenge.Nonce}:{ha2}");
        var user = challenge.UserHash ? algorithm.H($"{username}:{challenge.Realm}") : username;
        var sb = new StringBuilder("Digest ");
        sb.Append("username=").Append(Quote(user))
            .Append(", realm=").Append(Quote(challenge.Realm))
            .Append(", nonce=").Append(Quote(challenge.Nonce))
            .Append(", uri=").Append(Quote(uri))
            .Append(", response=\"").Append(response).Append('"')
            .Append(", algorithm=").Append(algorithm.Name);
        if (cnonce is not null)
        {
            sb.Append(", cnonce=").Append(Quote(cnonce));
        }

        if (challenge.Opaque is not null)
        {
            sb.Append(", opaque=").Append(Quote(challenge.Opaque));
        }

        if (qop)
        {
            sb.Append(", qop=auth, nc=").Append(nc);
        }

        if (challenge.UserHash)
        {
            sb.Append(", userhash=true");
        }

        return sb.ToString();
    }

    private static string Quote(string value) =>
        "\""
        + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        + "\"";
}
