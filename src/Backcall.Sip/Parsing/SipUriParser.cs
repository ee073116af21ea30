using System.Net;
using Backcall.Sip.Message;

namespace Backcall.Sip.Parsing;

/// <summary>
/// Parses SIP/SIPS URIs (RFC 3261 §19.1.1), tel URIs (RFC 3966) and keeps any other absolute URI
/// opaque (RFC 4475 §3.3.2-3.3.4: unknown schemes must parse). No whitespace is allowed anywhere.
/// </summary>
internal static class SipUriParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out SipUri uri, out string error) =>
        TryParse(text, null, out uri, out error);

    /// <summary>The same for a URI already held as a string (a Request-URI): it becomes the raw text.</summary>
    public static bool TryParse(string text, out SipUri uri, out string error) =>
        TryParse(text, text, out uri, out error);

    private static bool TryParse(ReadOnlySpan<char> text, string? raw, out SipUri uri, out string error)
    {
        uri = null!;
        error = "";
        if (text.IsEmpty)
        {
            error = "empty URI";
            return false;
        }

        if (text.ContainsAny(' ', '\t'))
        {
            error = "whitespace inside URI";
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetter(text[0]) || text[..colon].ContainsAnyExcept(SipGrammar.SchemeChars))
        {
            error = "URI has no valid scheme";
            return false;
        }

        var scheme = Scheme(text[..colon]);
        var rest = text[(colon + 1)..];
        if (rest.IsEmpty)
        {
            error = "URI has nothing after the scheme";
            return false;
        }

        return scheme switch
        {
            "sip" or "sips" => TryParseSip(text, raw, scheme, rest, out uri, out error),
            "tel" => TryParseTel(text, raw, rest, out uri, out error),
            _ => Opaque(text, raw, scheme, out uri),
        };
    }

    /// <summary>The lower-cased scheme: a constant for the three we parse.</summary>
    private static string Scheme(ReadOnlySpan<char> text) => text switch
    {
        _ when text.Equals("sip", StringComparison.OrdinalIgnoreCase) => "sip",
        _ when text.Equals("sips", StringComparison.OrdinalIgnoreCase) => "sips",
        _ when text.Equals("tel", StringComparison.OrdinalIgnoreCase) => "tel",
        _ => text.ToString().ToLowerInvariant(),
    };

    private static bool Opaque(ReadOnlySpan<char> text, string? raw, string scheme, out SipUri uri)
    {
        uri = new SipUri { Raw = raw ?? text.ToString(), Scheme = scheme };
        return true;
    }

    private static bool TryParseTel(
        ReadOnlySpan<char> text,
        string? raw,
        ReadOnlySpan<char> rest,
        out SipUri uri,
        out string error)
    {
        uri = null!;
        var semi = rest.IndexOf(';');
        var number = semi < 0 ? rest : rest[..semi];
        if (number.IsEmpty)
        {
            error = "tel URI without a number";
            return false;
        }

        var parameters = new SipParameters();
        if (semi >= 0 && !TryParseUriParams(rest[semi..], parameters, out error))
        {
            return false;
        }

        error = "";
        uri = new SipUri
        {
            Raw = raw ?? text.ToString(),
            Scheme = "tel",
            User = number.ToString(),
            Parameters = parameters,
        };
        return true;
    }

    private static bool TryParseSip(
        ReadOnlySpan<char> text,
        string? raw,
        string scheme,
        ReadOnlySpan<char> rest,
        out SipUri uri,
        out string error)
    {
        uri = null!;
        string? user = null;
        string? password = null;

        // '@' cannot occur in host, parameters or headers (§25.1), so the first one ends userinfo.
        // The user part itself may contain ';', '?' and ',' (RFC 4475 §3.1.1.2), which is why we split here first.
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userinfo = rest[..at];
            var pwColon = userinfo.IndexOf(':');
            var userSpan = pwColon < 0 ? userinfo : userinfo[..pwColon];
            if (userSpan.IsEmpty
                || userSpan.ContainsAnyExcept(SipGrammar.UserChars)
                || !SipGrammar.HasValidEscapes(userSpan))
            {
                error = "invalid user part";
                return false;
            }

            user = userSpan.ToString();
            if (pwColon >= 0)
            {
                var pw = userinfo[(pwColon + 1)..];
                if (pw.ContainsAnyExcept(SipGrammar.PasswordChars) || !SipGrammar.HasValidEscapes(pw))
                {
                    error = "invalid password";
                    return false;
                }

                password = pw.ToString();
            }

            rest = rest[(at + 1)..];
        }

        string? headers = null;
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            var h = rest[(q + 1)..];
            if (h.IsEmpty || h.ContainsAnyExcept(SipGrammar.UriHeaderChars) || !SipGrammar.HasValidEscapes(h))
            {
                error = "invalid URI headers";
                return false;
            }

            headers = h.ToString();
            rest = rest[..q];
        }

        var paramStart = rest.IndexOf(';');
        var hostport = paramStart < 0 ? rest : rest[..paramStart];
        if (!TryParseHostPort(hostport, out var host, out var port, out error))
        {
            return false;
        }

        var parameters = new SipParameters();
        if (paramStart >= 0 && !TryParseUriParams(rest[paramStart..], parameters, out error))
        {
            return false;
        }

        uri = new SipUri
        {
            Raw = raw ?? text.ToString(),
            Scheme = scheme,
            User = user,
            Password = password,
            Host = host,
            Port = port,
            Parameters = parameters,
            Headers = headers,
        };
        return true;
    }

    /// <summary><c>hostport = host [ ":" port ]</c> with host = hostname / IPv4address / IPv6reference.</summary>
    public static bool TryParseHostPort(ReadOnlySpan<char> hostport, out string host, out int? port, out string error)
    {
        port = null;
        if (hostport.StartsWith('['))
        {
            var close = hostport.IndexOf(']');
            if (!TryParseHost(close < 0 ? hostport : hostport[..(close + 1)], out host, out error))
            {
                return false;
            }

            var after = hostport[(close + 1)..];
            if (after.IsEmpty)
            {
                return true;
            }

            if (after[0] != ':')
            {
                error = "garbage after IPv6 reference";
                return false;
            }

            return TryParsePort(after[1..], out port, out error);
        }

        var colon = hostport.IndexOf(':');
        return TryParseHost(colon < 0 ? hostport : hostport[..colon], out host, out error)
            && (colon < 0 || TryParsePort(hostport[(colon + 1)..], out port, out error));
    }

    /// <summary>The same with host and port already apart (a Via's sent-by); an empty port is none.</summary>
    public static bool TryParseHostPort(
        ReadOnlySpan<char> hostText,
        ReadOnlySpan<char> portText,
        out string host,
        out int? port,
        out string error)
    {
        port = null;
        return TryParseHost(hostText, out host, out error)
            && (portText.IsEmpty || TryParsePort(portText, out port, out error));
    }

    private static bool TryParseHost(ReadOnlySpan<char> text, out string host, out string error)
    {
        host = "";
        error = "";
        if (text.StartsWith('['))
        {
            if (text.Length < 2
                || text[^1] != ']'
                || !IPAddress.TryParse(text[1..^1], out var v6)
                || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = "invalid IPv6 reference";
                return false;
            }
        }
        else if (text.IsEmpty || text.ContainsAnyExcept(SipGrammar.HostnameChars))
        {
            error = "invalid host";
            return false;
        }

        host = text.ToString();
        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int? port, out string error)
    {
        port = null;
        error = "";
        if (text.IsEmpty)
        {
            error = "empty port";
            return false;
        }

        if (!SipGrammar.IsDigits(text) || text.Length > 5 || int.Parse(text) is > 65535)
        {
            error = "invalid port";
            return false;
        }

        port = int.Parse(text);
        return true;
    }

    private static bool TryParseUriParams(ReadOnlySpan<char> text, SipParameters into, out string error)
    {
        error = "";

        // text starts with ';'. URI parameters allow empty values only as "name" (no '='), never "name=".
        foreach (var range in text[1..].Split(';'))
        {
            var p = text[1..][range];
            var eq = p.IndexOf('=');
            var name = eq < 0 ? p : p[..eq];
            if (name.IsEmpty || name.ContainsAnyExcept(SipGrammar.ParamChars) || !SipGrammar.HasValidEscapes(name))
            {
                error = "invalid URI parameter name";
                return false;
            }

            string? value = null;
            if (eq >= 0)
            {
                var v = p[(eq + 1)..];
                if (v.IsEmpty || v.ContainsAnyExcept(SipGrammar.ParamChars) || !SipGrammar.HasValidEscapes(v))
                {
                    error = "invalid URI parameter value";
                    return false;
                }

                value = v.ToString();
            }

            into.Add(name.ToString(), value);
        }

        return true;
    }
}
