using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Sip.Client;

namespace Backcall.Sip.Registration;

/// <summary>The REGISTER requests of one registration (RFC 3261 §10.2): one Call-ID, one From tag, rising CSeq.</summary>
internal sealed class RegisterRequest(RegistrationOptions options, RegistrarAddress registrar, string lineToken)
{
    public string CallId { get; } = $"{SipTokens.New(12)}@backcall";

    public string FromTag { get; } = SipTokens.New(8);

    public string AddressOfRecord => $"sip:{options.Username}@{registrar.Domain}";

    /// <summary>The Contact URI the provider sends calls to; its <c>line</c> parameter is the registration's secret.</summary>
    public string ContactUri(IRegistrarLink link) =>
        $"sip:{options.Username}@{HostPort(link.LocalEndPoint)}{(link.Transport == SipTransport.Udp ? "" : ";transport=tcp")};line={lineToken}";

    public byte[] Build(IRegistrarLink link, string branch, long cseq, int expires, string? authorization)
    {
        var sb = new StringBuilder(512);
        Line(sb, $"REGISTER {registrar.RequestUri} SIP/2.0");
        Line(sb, $"Via: SIP/2.0/{(link.Transport == SipTransport.Udp ? "UDP" : "TCP")} {HostPort(link.LocalEndPoint)};rport;branch={branch}");
        Line(sb, "Max-Forwards: 70");
        Line(sb, $"From: <{AddressOfRecord}>;tag={FromTag}");
        Line(sb, $"To: <{AddressOfRecord}>");
        Line(sb, $"Call-ID: {CallId}");
        Line(sb, $"CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} REGISTER");
        Line(sb, $"Contact: <{ContactUri(link)}>");
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
