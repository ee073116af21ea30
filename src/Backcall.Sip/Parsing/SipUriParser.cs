using System.Net;
using Backcall.Sip.Message;

namespace Backcall.Sip.Parsing;

/// <summary>
/// Parses SIP/SIPS URIs (RFC 3261 §19.1.1), tel URIs (RFC 3966) and keeps any other absolute URI
/// opaque (RFC 4475 §3.3.2-3.3.4: unknown schemes must parse). No whitespace is allowed anywhere.
/// </summary>
internal static class SipUriParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out SipUri uri, out string error)
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

        var scheme = text[..colon].ToString().ToLowerInvariant();
        var rest = text[(colon + 1)..];
        if (rest.IsEmpty)
        {
            error = "URI has nothing after the scheme";
            return false;
        }

        return scheme switch
        {
            "sip" or "sips" => TryParseSip(text, scheme, rest, out uri, out error),
            "tel" => TryParseTel(text, rest, out uri, out error),
            _ => Opaque(text, scheme, out uri),
        };
    }

    private static bool Opaque(ReadOnlySpan<char> text, string scheme, out SipUri uri)
    {
        uri = new SipUri { Raw = text.ToString(), Scheme = scheme };
        return true;
    }

    private static bool TryParseTel(ReadOnlySpan<char> text, ReadOnlySpan<char> rest, out SipUri uri, out string error)
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
        uri = new SipUri { Raw = text.ToString(), Scheme = "tel", User = number.ToString(), Parameters = parameters };
        return true;
    }

    private static bool TryParseSip(
        ReadOnlySpan<char> text,
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
            Raw = text.ToString(),
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
        host = "";
        port = null;
        error = "";
        ReadOnlySpan<char> portText = default;
        if (hostport.StartsWith('['))
        {
            var close = hostport.IndexOf(']');
            if (close < 0
                || !IPAddress.TryParse(hostport[1..close], out var v6)
                || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = "invalid IPv6 reference";
                return false;
            }

            host = hostport[..(close + 1)].ToString();
            var after = hostport[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    error = "garbage after IPv6 reference";
                    return false;
                }

                portText = after[1..];
                if (portText.IsEmpty)
                {
                    error = "empty port";
                    return false;
                }
            }
        }
        else
        {
            var colon = hostport.IndexOf(':');
            var h = colon < 0 ? hostport : hostport[..colon];
            if (h.IsEmpty || h.ContainsAnyExcept(SipGrammar.HostnameChars))
            {
                error = "invalid host";
                return false;
            }

            host = h.ToString();
            if (colon >= 0)
            {
                portText = hostport[(colon + 1)..];
                if (portText.IsEmpty)
                {
                    error = "empty port";
                    return false;
                }
            }
        }

        if (!portText.IsEmpty)
        {
            if (!SipGrammar.IsDigits(portText) || portText.Length > 5 || int.Parse(portText) is > 65535)
            {
                error = "invalid port";
                return false;
            }

            port = int.Parse(portText);
        }

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
