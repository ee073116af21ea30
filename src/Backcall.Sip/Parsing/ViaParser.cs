using Backcall.Sip.Message;

namespace Backcall.Sip.Parsing;

/// <summary>
/// Parses one via-parm: <c>sent-protocol LWS sent-by *( SEMI via-params )</c> (RFC 3261 §20.42),
/// allowing the SWS around "/" and ":" that the grammar permits (RFC 4475 §3.1.1.1).
/// </summary>
internal static class ViaParser
{
    public static bool TryParse(string value, out SipVia via, out string error)
    {
        via = null!;
        var reader = new SipTextReader(value);
        if (!TryParseSentProtocolAndBy(
                ref reader,
                value,
                out var protocol,
                out var transport,
                out var host,
                out var port,
                out error))
        {
            return false;
        }

        var parameters = new SipParameters();
        if (!ParameterParser.TryParse(ref reader, parameters, out error))
        {
            error = "Via parameters: " + error;
            return false;
        }

        via = new SipVia
        {
            Raw = value,
            Protocol = protocol,
            Transport = transport,
            Host = host,
            Port = port,
            Parameters = parameters,
        };
        return true;
    }

    /// <summary>
    /// Parses only sent-protocol and sent-by, ignoring whatever follows. Used to still route a 400
    /// back when the Via parameters are broken (RFC 4475 §3.1.2.1 asks for a 400 there).
    /// </summary>
    public static bool TryParseForRouting(string value, out SipVia via)
    {
        via = null!;
        var reader = new SipTextReader(value);
        if (!TryParseSentProtocolAndBy(
                ref reader,
                value,
                out var protocol,
                out var transport,
                out var host,
                out var port,
                out _))
        {
            return false;
        }

        via = new SipVia { Raw = value, Protocol = protocol, Transport = transport, Host = host, Port = port };
        return true;
    }

    private static bool TryParseSentProtocolAndBy(
        ref SipTextReader reader,
        string value,
        out string protocol,
        out string transport,
        out string host,
        out int? port,
        out string error)
    {
        protocol = transport = host = "";
        port = null;
        error = "";
        reader.SkipWhitespace();
        var name = reader.ReadToken();
        reader.SkipWhitespace();
        if (name.IsEmpty || !reader.TryConsume('/'))
        {
            error = "malformed sent-protocol";
            return false;
        }

        reader.SkipWhitespace();
        var version = reader.ReadToken();
        reader.SkipWhitespace();
        if (version.IsEmpty || !reader.TryConsume('/'))
        {
            error = "malformed sent-protocol";
            return false;
        }

        reader.SkipWhitespace();
        var transportToken = reader.ReadToken();
        if (transportToken.IsEmpty || !reader.SkipWhitespace())
        {
            error = "malformed sent-protocol";
            return false;
        }

        protocol = SentProtocol(name, version);
        transport = Transport(transportToken);

        // sent-by = host [ COLON port ], COLON = SWS ":" SWS.
        ReadOnlySpan<char> hostText;
        if (reader.Peek == '[')
        {
            var close = reader.Rest.IndexOf(']');
            if (close < 0)
            {
                error = "malformed IPv6 sent-by";
                return false;
            }

            hostText = reader.Rest[..(close + 1)];
            reader.Advance(close + 1);
        }
        else
        {
            hostText = reader.ReadWhile(SipGrammar.HostnameChars);
        }

        var save = reader.Position;
        reader.SkipWhitespace();
        ReadOnlySpan<char> portText = default;
        if (reader.TryConsume(':'))
        {
            reader.SkipWhitespace();
            portText = reader.ReadWhile(SipGrammar.Digits);
            if (portText.IsEmpty)
            {
                error = "malformed sent-by port";
                return false;
            }
        }
        else
        {
            reader = new SipTextReader(value);
            reader.Advance(save);
        }

        if (!SipUriParser.TryParseHostPort(hostText, portText, out host, out port, out error))
        {
            error = "Via sent-by: " + error;
            return false;
        }

        return true;
    }

    /// <summary>Upper-cased <c>name/version</c>: the constant for SIP/2.0, the one every peer sends.</summary>
    private static string SentProtocol(ReadOnlySpan<char> name, ReadOnlySpan<char> version) =>
        name.Equals("SIP", StringComparison.OrdinalIgnoreCase) && version.SequenceEqual("2.0")
            ? SipMessage.Version2
            : $"{name.ToString().ToUpperInvariant()}/{version.ToString().ToUpperInvariant()}";

    /// <summary>The upper-cased transport token: a constant for the transports we serve.</summary>
    private static string Transport(ReadOnlySpan<char> token) => token switch
    {
        _ when token.Equals("UDP", StringComparison.OrdinalIgnoreCase) => "UDP",
        _ when token.Equals("TCP", StringComparison.OrdinalIgnoreCase) => "TCP",
        _ when token.Equals("TLS", StringComparison.OrdinalIgnoreCase) => "TLS",
        _ => token.ToString().ToUpperInvariant(),
    };
}
