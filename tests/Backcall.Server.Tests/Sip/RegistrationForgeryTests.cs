using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// Who may call over a registration: the test plays the provider's registrar on a UDP socket (it accepts
/// Backcall's REGISTER and so learns the Contact with its line token), then sends INVITEs to that Contact.
/// Only one with the right token AND from the provider's address is a call; the forgeries get 403 and
/// confirm nothing.
/// </summary>
public sealed partial class RegistrationForgeryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_invite_with_a_wrong_line_token_or_from_another_source_is_refused()
    {
        using var registrar = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var stranger = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        var registrarPort = ((IPEndPoint)registrar.Client.LocalEndPoint!).Port;
        using var account = new ProviderAccount();
        await using var server = await BackcallProcess.StartAsync(
            environment: account.Settings($"127.0.0.1:{registrarPort}", "udp"));

        var register = await ReceiveAsync(registrar, m => m.StartsWith("REGISTER ", StringComparison.Ordinal));
        var contact = ContactUri().Match(RawSip.Header(register.Text, "Contact")).Groups[1].Value;
        await registrar.SendAsync(Encoding.ASCII.GetBytes(Ok(register.Text, contact)), register.From);
        await ProviderAccount.WaitForAsync(server, ProviderAccount.IsRegistered, "registered");
        await server.AddNumbersAsync(ProviderAccount.Number);
        var verification = await Verification.CreateAsync(server);
        var token = LineToken().Match(contact).Groups[1].Value;
        var backcall = IPEndPoint.Parse(HostPort().Match(contact).Groups[1].Value);

        // The right Contact from someone who is not the provider, a wrong or no token from the provider itself.
        Assert.Equal(403, await InviteAsync(stranger, backcall, contact, verification.Phone));
        var zeroedLine = contact.Replace(token, new string('0', token.Length), StringComparison.Ordinal);
        Assert.Equal(403, await InviteAsync(registrar, backcall, zeroedLine, verification.Phone));
        var noLine = contact.Replace(";line=" + token, "", StringComparison.Ordinal);
        Assert.Equal(403, await InviteAsync(registrar, backcall, noLine, verification.Phone));
        await verification.AssertPendingAsync();

        // The provider's own call: rejected (never answered) and confirming.
        Assert.Equal(486, await InviteAsync(registrar, backcall, contact, verification.Phone));
        await verification.AssertConfirmedAsync();
    }

    /// <summary>Sends an INVITE to <paramref name="requestUri"/> and returns the final status (ACKing it).</summary>
    private static async Task<int> InviteAsync(UdpClient from, IPEndPoint backcall, string requestUri, string caller)
    {
        var local = (IPEndPoint)from.Client.LocalEndPoint!;
        var callId = Guid.NewGuid().ToString("N");
        var head = $"Via: SIP/2.0/UDP {local};branch=z9hG4bK{callId[..12]}\r\n"
            + $"From: <sip:{caller}@{local.Address}>;tag={callId[..8]}\r\n"
            + $"To: <sip:{ProviderAccount.Login}@{local.Address}>\r\nCall-ID: {callId}@provider\r\n";
        const string sdp =
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n";
        var invite = $"INVITE {requestUri} SIP/2.0\r\n{head}CSeq: 1 INVITE\r\n"
            + $"Contact: <sip:{caller}@{local}>\r\nMax-Forwards: 70\r\n"
            + $"Content-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}";
        await from.SendAsync(Encoding.ASCII.GetBytes(invite), backcall);
        var final = await ReceiveAsync(from, m => m.StartsWith("SIP/2.0 ", StringComparison.Ordinal)
            && RawSip.Status(m) >= 200
            && m.Contains(callId, StringComparison.Ordinal));
        var ackHead = head.Replace(
            $"To: <sip:{ProviderAccount.Login}@{local.Address}>",
            "To: " + RawSip.Header(final.Text, "To"),
            StringComparison.Ordinal);
        var ack = $"ACK {requestUri} SIP/2.0\r\n{ackHead}"
            + "CSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        await from.SendAsync(Encoding.ASCII.GetBytes(ack), backcall);
        return RawSip.Status(final.Text);
    }

    private static string Ok(string request, string contact) =>
        $"SIP/2.0 200 OK\r\nVia: {RawSip.Header(request, "Via")}\r\nFrom: {RawSip.Header(request, "From")}\r\n" +
        $"To: {RawSip.Header(request, "To")};tag=registrar\r\nCall-ID: {RawSip.Header(request, "Call-ID")}\r\n" +
        $"CSeq: {RawSip.Header(request, "CSeq")}\r\nContact: <{contact}>;expires=300\r\nContent-Length: 0\r\n\r\n";

    private static async Task<(string Text, IPEndPoint From)> ReceiveAsync(UdpClient socket, Func<string, bool> wanted)
    {
        using var cts = new CancellationTokenSource(Bound);
        while (true)
        {
            var received = await socket.ReceiveAsync(cts.Token);
            var text = Encoding.ASCII.GetString(received.Buffer);
            if (wanted(text))
            {
                return (text, received.RemoteEndPoint);
            }
        }
    }

    [GeneratedRegex("<([^>]+)>")]
    private static partial Regex ContactUri();

    [GeneratedRegex(";line=([0-9a-f]+)")]
    private static partial Regex LineToken();

    [GeneratedRegex("@([0-9.]+:[0-9]+)")]
    private static partial Regex HostPort();
}
