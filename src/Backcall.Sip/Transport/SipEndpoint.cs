using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Backcall.Sip;

/// <summary>
/// A transport plus IP endpoint, written <c>udp:0.0.0.0:5060</c>, <c>tcp:[::1]:5060</c>, <c>tls:0.0.0.0:5061</c>.
/// </summary>
public readonly record struct SipEndpoint(SipTransport Transport, IPEndPoint EndPoint)
{
    /// <summary>Port used when a spec omits it (RFC 3261 §19.1.2).</summary>
    public const int DefaultPort = 5060;

    /// <summary>Port used for TLS when a spec omits it (RFC 3261 §19.1.2, <c>sips:</c>).</summary>
    public const int DefaultTlsPort = 5061;

    /// <summary>Whether the transport keeps a connection (TCP, TLS): responses go back over it.</summary>
    public static bool IsReliable(SipTransport transport) => transport != SipTransport.Udp;

    /// <summary>The default port of <paramref name="transport"/>: 5061 for TLS, else 5060.</summary>
    public static int DefaultPortOf(SipTransport transport) =>
        transport == SipTransport.Tls ? DefaultTlsPort : DefaultPort;

    /// <summary>Lower-case name as in endpoint specs and logs: <c>udp</c>, <c>tcp</c>, <c>tls</c>.</summary>
    public static string NameOf(SipTransport transport) => transport switch
    {
        SipTransport.Udp => "udp",
        SipTransport.Tcp => "tcp",
        _ => "tls",
    };

    /// <summary>Parses a comma-separated list, e.g. <c>udp:0.0.0.0:5060,tcp:0.0.0.0:5060,udp:[::]:5060</c>.</summary>
    /// <exception cref="FormatException">An entry is malformed; the message names the entry and why.</exception>
    public static IReadOnlyList<SipEndpoint> ParseList(string? specs)
    {
        if (string.IsNullOrWhiteSpace(specs))
        {
            throw new FormatException("Sip:Endpoints is empty; expected e.g. 'udp:0.0.0.0:5060,tcp:0.0.0.0:5060'.");
        }

        var endpoints = new List<SipEndpoint>();
        foreach (var spec in specs.Split(',', StringSplitOptions.TrimEntries))
        {
            var endpoint = Parse(spec);
            if (endpoints.Contains(endpoint))
            {
                throw new FormatException($"Sip endpoint '{spec}' is listed twice.");
            }

            endpoints.Add(endpoint);
        }

        return endpoints;
    }

    /// <summary>Parses one <c>transport:address[:port]</c> entry.</summary>
    /// <exception cref="FormatException">The entry is malformed; the message says why.</exception>
    public static SipEndpoint Parse(string spec)
    {
        if (!TryParse(spec, out var endpoint, out var error))
        {
            throw new FormatException($"Sip endpoint '{spec}': {error}");
        }

        return endpoint;
    }

    public static bool TryParse(string? spec, out SipEndpoint endpoint) => TryParse(spec, out endpoint, out _);

    private static bool TryParse(string? spec, out SipEndpoint endpoint, out string error)
    {
        endpoint = default;
        spec = spec?.Trim() ?? "";
        var colon = spec.IndexOf(':');
        if (spec.Length == 0 || colon < 0)
        {
            error =
                "expected 'transport:address[:port]', e.g. 'udp:0.0.0.0:5060', 'tcp:[::1]:5060' or 'tls:0.0.0.0:5061'.";
            return false;
        }

        var transportText = spec[..colon];
        SipTransport transport;
        if (transportText.Equals("udp", StringComparison.OrdinalIgnoreCase))
        {
            transport = SipTransport.Udp;
        }
        else if (transportText.Equals("tcp", StringComparison.OrdinalIgnoreCase))
        {
            transport = SipTransport.Tcp;
        }
        else if (transportText.Equals("tls", StringComparison.OrdinalIgnoreCase))
        {
            transport = SipTransport.Tls;
        }
        else
        {
            error = $"unknown transport '{transportText}'; use 'udp', 'tcp' or 'tls'.";
            return false;
        }

        var hostPort = spec[(colon + 1)..];
        string hostText;
        string? portText = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0)
            {
                error = "missing ']' after the IPv6 address.";
                return false;
            }

            hostText = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    error = $"unexpected '{after}' after the IPv6 address; expected ':port'.";
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            if (hostPort.Count(c => c == ':') > 1)
            {
                error = "IPv6 addresses must be in brackets, e.g. 'udp:[::1]:5060'.";
                return false;
            }

            var portColon = hostPort.IndexOf(':');
            hostText = portColon < 0 ? hostPort : hostPort[..portColon];
            portText = portColon < 0 ? null : hostPort[(portColon + 1)..];
        }

        if (!IPAddress.TryParse(hostText, out var address)
            || (hostPort.StartsWith('[') && address.AddressFamily != AddressFamily.InterNetworkV6))
        {
            error =
                $"'{hostText}' is not an IP address (host names are not "
                    + "supported; use 0.0.0.0 or [::] for all interfaces).";
            return false;
        }

        var port = DefaultPortOf(transport);
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            error = $"port '{portText}' is not a number between 0 and 65535.";
            return false;
        }

        endpoint = new SipEndpoint(transport, new IPEndPoint(address, port));
        error = "";
        return true;
    }

    /// <summary>Formats back to the spec syntax, e.g. <c>udp:[::1]:5060</c>.</summary>
    public override string ToString() =>
        $"{NameOf(Transport)}:"
            + (EndPoint.AddressFamily == AddressFamily.InterNetworkV6
                ? $"[{EndPoint.Address}]"
                : EndPoint.Address.ToString())
            + $":{EndPoint.Port}";
}
