using System.Net;

namespace Backcall.Core.SignIn;

/// <summary>
/// Which redirect URIs a client may register: absolute, https (http only to this machine's loopback, for
/// development and native apps, RFC 8252 §7.3), or a private scheme with a dot (com.example.app:/cb, §7.1);
/// no fragment, no user info, no wildcard. Requests must then name one of them exactly.
/// </summary>
public static class RedirectUris
{
    private const int MaxLength = 2000;

    /// <exception cref="ArgumentException">One is not acceptable; the message names it and why.</exception>
    public static IReadOnlyList<string> Validate(IReadOnlyList<string>? uris)
    {
        if (uris is null || uris.Count == 0)
        {
            throw new ArgumentException(
                "at least one redirect URI is required (--redirect-uri https://app.example/signin-oidc)");
        }

        if (uris.Count > 20)
        {
            throw new ArgumentException("at most 20 redirect URIs per client");
        }

        var list = new List<string>();
        foreach (var raw in uris)
        {
            var uri = (raw ?? "").Trim();
            if (Problem(uri) is { } problem)
            {
                throw new ArgumentException($"redirect URI '{Clip(uri)}' {problem}");
            }

            if (!list.Contains(uri, StringComparer.Ordinal))
            {
                list.Add(uri);
            }
        }

        return list;
    }

    private static string? Problem(string uri)
    {
        if (uri.Contains('*', StringComparison.Ordinal))
        {
            return "has a wildcard; register each address in full";
        }

        if (uri.Length is 0 or > MaxLength || !Uri.TryCreate(uri, UriKind.Absolute, out var u))
        {
            return "is not an absolute URI";
        }

        if (u.Fragment.Length > 0 || uri.Contains('#', StringComparison.Ordinal))
        {
            return "has a fragment (#...), which OAuth forbids";
        }

        if (u.UserInfo.Length > 0)
        {
            return "has user info (user@host), which could mislead a reader";
        }

        return u.Scheme switch
        {
            "https" => null,
            "http" when IsLoopback(u.Host) => null,
            "http" => "uses http to another machine; use https (http is allowed only to 127.0.0.1, [::1] or localhost)",
            _ when u.Scheme.Contains('.', StringComparison.Ordinal) => null,
            _ => $"uses the scheme '{u.Scheme}'; use https, or a private scheme with a dot (com.example.app:/callback)",
        };
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
