using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Sip.Client;

namespace Backcall.Sip.Registration;

/// <summary>
/// The REGISTER requests of one registration (RFC 3261 §10.2): one Call-ID, one From tag, rising CSeq.
/// </summary>
internal sealed class RegisterRequest(RegistrationOptions options, RegistrarAddress registrar, string lineToken)
{
    public string CallId { get; } = $"{SipTokens.New(12)}@backcall";

    public string FromTag { get; } = SipTokens.New(8);

    public string AddressOfRecord => $"sip:{options.Username}@{registrar.Domain}";

    /// <summary>
    /// The Contact URI the provider sends calls to, at <paramref name="address"/> (our socket's, or the public one the
    /// registrar saw); its <c>line</c> parameter is the registration's secret. Over TLS a <c>sips:</c> URI, as RFC 3261
    /// §8.1.1.8 asks when the Request-URI is one.
    /// </summary>
    public string ContactUri(SipTransport transport, IPEndPoint address) => transport switch
    {
        SipTransport.Tls => $"sips:{options.Username}@{HostPort(address)};line={lineToken}",
        SipTransport.Tcp => $"sip:{options.Username}@{HostPort(address)};transport=tcp;line={lineToken}",
        _ => $"sip:{options.Username}@{HostPort(address)};line={lineToken}",
    };

    /// <param name="contact">Where the provider should send calls (see <see cref="ContactUri"/>).</param>
    /// <param name="staleContact">A Contact registered before from another address, removed in the same
    /// request.</param>
    public byte[] Build(
        IRegistrarLink link,
        IPEndPoint contact,
        string branch,
        long cseq,
        int expires,
        string? authorization,
        IPEndPoint? staleContact = null)
    {
        var sb = new StringBuilder(512);
        Line(sb, $"REGISTER {registrar.RequestUri} SIP/2.0");
        Line(
            sb,
            $"Via: SIP/2.0/{SipEndpoint.NameOf(link.Transport).ToUpperInvariant()} "
                + $"{HostPort(link.LocalEndPoint)};rport;branch={branch}");
        Line(sb, "Max-Forwards: 70");
        Line(sb, $"From: <{AddressOfRecord}>;tag={FromTag}");
        Line(sb, $"To: <{AddressOfRecord}>");
        Line(sb, $"Call-ID: {CallId}");
        Line(sb, $"CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} REGISTER");
        Line(sb, $"Contact: <{ContactUri(link.Transport, contact)}>");
        if (staleContact is not null && expires > 0)
        {
            Line(sb, $"Contact: <{ContactUri(link.Transport, staleContact)}>;expires=0");
        }

        Line(sb, $"Expires: {expires.ToString(CultureInfo.InvariantCulture)}");
        Line(sb, "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS");
        Line(sb, "User-Agent: Backcall");
        if (authorization is not null)
        {
            Line(sb, authorization);
        }

        Line(sb, "Content-Length: 0");
        sb.Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append("\r\n");

    private static string HostPort(IPEndPoint endpoint) => endpoint.AddressFamily == AddressFamily.InterNetworkV6
        ? $"[{endpoint.Address}]:{endpoint.Port}"
        : $"{endpoint.Address}:{endpoint.Port}";
}
