using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Backcall.Sip.Parsing;

namespace Backcall.Sip.Trunks;

/// <summary>
/// The original sender of a request as a proxy in front of Backcall reports it, e.g.
/// <c>198.51.100.7:5060;transport=udp</c> or <c>[2001:db8::7]:5060</c> (Kamailio: <c>$siz:$sp;transport=$pr</c>).
/// </summary>
internal readonly record struct ForwardedSource(IPEndPoint EndPoint, string? Transport)
{
    /// <summary>
    /// Strict on purpose: the value decides whose caller ID is believed, so anything but one address and a port
    /// is refused rather than guessed at. IPv6 must be bracketed (a bare one cannot be told from its port);
    /// IPv4 must be dotted-quad (no <c>1.2</c> shorthand). Parameters other than <c>transport</c> are ignored.
    /// </summary>
    public static bool TryParse(string? value, out ForwardedSource source)
    {
        source = default;
        if (value is null)
        {
            return false;
        }

        var text = value.AsSpan().Trim();
        var semicolon = text.IndexOf(';');
        var hostPort = (semicolon < 0 ? text : text[..semicolon]).Trim();
        if (!TrySplitHostPort(hostPort, out var address, out var port))
        {
            return false;
        }

        string? transport = null;
        if (semicolon >= 0 && !TryReadTransport(text[(semicolon + 1)..], out transport))
        {
            return false;
        }

        source = new ForwardedSource(
            new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port),
            transport);
        return true;
    }

    public override string ToString() =>
        Transport is null ? EndPoint.ToString() : $"{Transport}:{EndPoint}";

    private static bool TrySplitHostPort(ReadOnlySpan<char> hostPort, out IPAddress address, out int port)
    {
        address = IPAddress.None;
        port = 0;
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> portText;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0 || close + 1 >= hostPort.Length || hostPort[close + 1] != ':')
            {
                return false;
            }

            host = hostPort[1..close];
            portText = hostPort[(close + 2)..];
            if (!IPAddress.TryParse(host, out address!) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else
        {
            var colon = hostPort.IndexOf(':');
            if (colon < 0 || hostPort.LastIndexOf(':') != colon)
            {
                return false;
            }

            host = hostPort[..colon];
            portText = hostPort[(colon + 1)..];
            if (host.Count('.') != 3
                || host.ContainsAnyExcept("0123456789.")
                || !IPAddress.TryParse(host, out address!))
            {
                return false;
            }
        }

        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= 1 and <= 65535;
    }

    private static bool TryReadTransport(ReadOnlySpan<char> parameters, out string? transport)
    {
        transport = null;
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            var equals = parameter.IndexOf('=');
            if (equals < 0 || !parameter[..equals].Trim().Equals("transport", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = parameter[(equals + 1)..].Trim();
            if (transport is not null || !SipGrammar.IsToken(name))
            {
                return false; // twice, or not a token: not what the proxy writes
            }

            transport = name.ToString().ToLowerInvariant();
        }

        return true;
    }
}
