using Backcall.Sip.Dns;
using Backcall.Sip.Parsing;

namespace Backcall.Sip.Registration;

/// <summary>
/// Where to register, from <see cref="RegistrationOptions.Registrar"/>: <c>host[:port]</c> or a
/// <c>sip:</c>/<c>sips:</c> URI (whose <c>transport</c> parameter, or the sips scheme, names the transport).
/// </summary>
internal sealed record RegistrarAddress(string Host, int? Port, SipTransportName Transport)
{
    /// <summary>The Request-URI of REGISTER (RFC 3261 §10.2: the domain, no user part).</summary>
    public string RequestUri => $"{Scheme}:{HostPort}";

    /// <summary>The domain of the address of record: the registrar's host.</summary>
    public string Domain => Host;

    public string HostPort => Port is { } port ? $"{Host}:{port}" : Host;

    private string Scheme => Transport == SipTransportName.Tls ? "sips" : "sip";

    /// <summary>
    /// Parses the registrar with the configured transport; returns an error message instead on failure.
    /// </summary>
    public static RegistrarAddress? TryParse(string? registrar, string? transport, out string error)
    {
        error = "";
        var text = (registrar ?? "").Trim();
        if (text.Length == 0)
        {
            error = "is empty; expected host[:port] or a sip: URI, e.g. sip.example.net";
            return null;
        }

        if (!SipTransportName.TryParse(transport, out var configured))
        {
            error = $"Transport '{transport}' is not udp, tcp or tls";
            return null;
        }

        var isUri =
            text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase);
        string host;
        int? port;
        if (isUri)
        {
            if (!SipUriParser.TryParse(text, out var uri, out var uriError) || uri.User is not null)
            {
                error =
                    $"'{text}' is not a registrar URI ({(uri?.User is not null ? "no user part expected" : uriError)})";
                return null;
            }

            host = uri.Host;
            port = uri.Port;
            if (uri.Scheme == "sips")
            {
                configured = SipTransportName.Tls;
            }
            else if (uri.Parameters.Get("transport") is { } param && !SipTransportName.TryParse(param, out configured))
            {
                error = $"'{text}' names transport '{param}'; use udp, tcp or tls";
                return null;
            }
        }
        else if (!SipUriParser.TryParseHostPort(text, out host, out port, out var hostError))
        {
            error = $"'{text}' is not host[:port] ({hostError})";
            return null;
        }

        if (port is 0)
        {
            error = $"'{text}' has port 0";
            return null;
        }

        return new RegistrarAddress(host, port, configured);
    }
}
