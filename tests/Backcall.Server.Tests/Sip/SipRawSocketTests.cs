using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// What needs exact control of bytes and timing, done with plain sockets against the real process:
/// TCP framing (several messages in one segment, one message over several), a CANCEL that is guaranteed
/// to arrive while the server is still deciding, and retransmissions compared byte for byte.
/// </summary>
public sealed class SipRawSocketTests(SipServerFixture fixture) : IClassFixture<SipServerFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private BackcallProcess Server => fixture.Server;

    [Fact]
    public async Task Two_invites_in_one_tcp_segment_get_a_486_each()
    {
        var first = await Verification.CreateAsync(Server);
        var second = await Verification.CreateAsync(Server);
        using var client = await ConnectAsync();
        var a = new RawSip("tcp", Local(client), fixture.Tcp);
        var b = new RawSip("tcp", Local(client), fixture.Tcp);

        await client.GetStream().WriteAsync(
            Encoding.ASCII.GetBytes(a.Invite(first.Phone, first.AuthPhone) + b.Invite(second.Phone, second.AuthPhone)));

        var reader = new SipStreamReader(client.GetStream());
        var finals = new[] { await reader.ReadFinalAsync(Wait), await reader.ReadFinalAsync(Wait) };
        Assert.All(finals, f => Assert.Equal(486, RawSip.Status(f)));
        Assert.Equal(new[] { a.CallId, b.CallId }.Order(), finals.Select(f => RawSip.Header(f, "Call-ID")).Order());
        var byCall = finals.ToDictionary(f => RawSip.Header(f, "Call-ID"));
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
            a.Ack(first.AuthPhone, byCall[a.CallId]) + b.Ack(second.AuthPhone, byCall[b.CallId])));
        await first.AssertConfirmedAsync();
        await second.AssertConfirmedAsync();
    }

    [Fact]
    public async Task An_invite_split_over_several_tcp_segments_is_reassembled()
    {
        var verification = await Verification.CreateAsync(Server);
        using var client = await ConnectAsync();
        var raw = new RawSip("tcp", Local(client), fixture.Tcp);
        var invite = Encoding.ASCII.GetBytes(raw.Invite(verification.Phone, verification.AuthPhone));
        var headersEnd = Encoding.ASCII.GetString(invite).IndexOf("\r\n\r\n", StringComparison.Ordinal);

        // Cut inside the request line, inside a header, between the CRLFs that end the headers, inside the body.
        int[] cuts = [5, headersEnd / 2, headersEnd + 3, headersEnd + 4 + 10, invite.Length];
        var stream = client.GetStream();
        var start = 0;
        foreach (var cut in cuts)
        {
            await stream.WriteAsync(invite.AsMemory(start, cut - start));
            await stream.FlushAsync();
            start = cut;
            await Task.Delay(60); // NoDelay + a pause: separate segments, separate reads on the server
        }

        var final = await new SipStreamReader(stream).ReadFinalAsync(Wait);
        Assert.Equal(486, RawSip.Status(final));
        Assert.Equal(raw.CallId, RawSip.Header(final, "Call-ID"));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(raw.Ack(verification.AuthPhone, final)));
        await verification.AssertConfirmedAsync();
    }

    [Fact]
    public async Task Over_tcp_the_486_is_not_retransmitted_while_waiting_for_the_ack()
    {
        var verification = await Verification.CreateAsync(Server);
        using var client = await ConnectAsync();
        var raw = new RawSip("tcp", Local(client), fixture.Tcp);
        var reader = new SipStreamReader(client.GetStream());
        await client.GetStream().WriteAsync(
            Encoding.ASCII.GetBytes(raw.Invite(verification.Phone, verification.AuthPhone)));
        var final = await reader.ReadFinalAsync(Wait);

        // Timer G runs on UDP only (RFC 3261 §17.2.1): on UDP a copy would come after 500 ms.
        Assert.Null(await reader.ReadAsync(TimeSpan.FromSeconds(1.5)));
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(raw.Ack(verification.AuthPhone, final)));
        Assert.Equal(486, RawSip.Status(final));
    }

    [Fact]
    public async Task A_cancel_arriving_while_the_server_decides_gets_487_then_200()
    {
        var verification = await Verification.CreateAsync(Server);
        using var client = await ConnectAsync();
        var raw = new RawSip("tcp", Local(client), fixture.Tcp);
        var reader = new SipStreamReader(client.GetStream());

        // Same segment: the server reads the CANCEL before the decision (a committed write) can finish.
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
            raw.Invite(verification.Phone, verification.AuthPhone) + raw.Cancel(verification.AuthPhone)));

        var final = await reader.ReadFinalAsync(Wait);
        var cancelled = await reader.ReadFinalAsync(Wait);
        Assert.Equal((487, "1 INVITE"), (RawSip.Status(final), RawSip.Header(final, "CSeq")));
        Assert.Equal((200, "1 CANCEL"), (RawSip.Status(cancelled), RawSip.Header(cancelled, "CSeq")));
        Assert.Equal(RawSip.Header(final, "To"), RawSip.Header(cancelled, "To")); // RFC 3261 §9.2: same To tag
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(raw.Ack(verification.AuthPhone, final)));
        Assert.Null(await reader.ReadAsync(TimeSpan.FromMilliseconds(700)));

        // The caller did call from the phone, and hung up: the verification counts (it is decided on the INVITE).
        await verification.AssertConfirmedAsync();
    }

    [Fact]
    public async Task A_retransmitted_invite_over_udp_gets_the_byte_identical_486_and_confirms_once()
    {
        var verification = await Verification.CreateAsync(Server);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        udp.Connect(RawSip.Parse(fixture.Udp));
        var raw = new RawSip("udp", (IPEndPoint)udp.Client.LocalEndPoint!, fixture.Udp);
        var invite = Encoding.ASCII.GetBytes(raw.Invite(verification.Phone, verification.AuthPhone));

        await udp.SendAsync(invite);
        var first = await ReceiveFinalAsync(udp);
        await udp.SendAsync(invite); // as a trunk does when the 486 was lost
        var second = await ReceiveFinalAsync(udp);
        await udp.SendAsync(Encoding.ASCII.GetBytes(raw.Ack(verification.AuthPhone, first)));

        Assert.Equal(486, RawSip.Status(first));
        Assert.Equal(first, second);
        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal(raw.CallId, row!["call_id"]!.GetValue<string>());
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(RawSip.Parse(fixture.Tcp));
        return client;
    }

    private static IPEndPoint Local(TcpClient client) => (IPEndPoint)client.Client.LocalEndPoint!;

    private static async Task<string> ReceiveFinalAsync(UdpClient udp)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (true)
        {
            var text = Encoding.Latin1.GetString((await udp.ReceiveAsync(cts.Token)).Buffer);
            if (RawSip.Status(text) >= 200)
            {
                return text;
            }
        }
    }
}
