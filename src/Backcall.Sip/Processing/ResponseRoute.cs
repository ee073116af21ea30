using System.Net;
using Backcall.Sip.Message;

namespace Backcall.Sip.Processing;

/// <summary>Where to send responses, per RFC 3261 §18.2.2 and RFC 3581 (symmetric response routing).</summary>
internal static class ResponseRoute
{
    public static IPEndPoint Destination(SipVia topVia, IPEndPoint source, SipChannel channel)
    {
        // Reliable transport: back over the connection the request came on while it is open; this is where a
        // new connection goes once it has closed: the source address and the sent-by port (§18.2.2).
        if (channel.IsReliable)
        {
            return new IPEndPoint(source.Address, topVia.Port ?? SipEndpoint.DefaultPortOf(channel.Transport));
        }

        if (topVia.HasRport)
        {
            return source;
        }

        // Unreliable unicast: the source address ("received") and the sent-by port, default 5060.
        return new IPEndPoint(source.Address, topVia.Port ?? SipEndpoint.DefaultPort);
    }

    /// <summary>
    /// The top Via as echoed in responses: <c>received</c> when sent-by is not the source address, and
    /// always with <c>rport</c> (RFC 3581 §4 then requires <c>received</c> too).
    /// </summary>
    public static string EchoTopVia(SipVia topVia, IPEndPoint source)
    {
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var hostIsSource =
            IPAddress.TryParse(topVia.Host.Trim('[', ']'), out var hostAddress) && hostAddress.Equals(address);
        if (hostIsSource && !topVia.HasRport)
        {
            return topVia.Raw;
        }

        var parameters = topVia.Parameters.Clone();
        parameters.Set("received", address.ToString());
        if (topVia.HasRport)
        {
            parameters.Set("rport", source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return new SipVia
        {
            Raw = topVia.Raw,
            Protocol = topVia.Protocol,
            Transport = topVia.Transport,
            Host = topVia.Host,
            Port = topVia.Port,
            Parameters = parameters,
        }.Serialize();
    }
}
