using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Sip.Tests.Support;
using Backcall.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Server;

/// <summary>
/// The real server on loopback sockets (IPv4 and IPv6, port 0), driven by raw sockets and by SipCallClient.
/// Protocol timers run on a <see cref="FakeTimeProvider"/> wherever a test counts what they do, so no outcome
/// depends on how fast the machine answers; waits are for the event itself, bounded generously.
/// </summary>
public class LoopbackServerTests
{
    private static readonly TimeSpan Functional = TimeSpan.FromSeconds(30);

    private static async Task<SipServer> StartAsync(
        TestInviteHandler handler, Action<SipOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new SipOptions { Endpoints = "udp:127.0.0.1:0,tcp:127.0.0.1:0,udp:[::1]:0,tcp:[::1]:0" };
        configure?.Invoke(options);
        var server = new SipServer(options, handler, time);
        await server.StartAsync();
        return server;
    }

    private static SipEndpoint Bound(SipServer server, SipTransport transport, AddressFamily family) =>
        server.BoundEndpoints.Single(e => e.Transport == transport && e.EndPoint.AddressFamily == family);

    [Fact]
    public async Task Bound_endpoints_report_the_real_ports()
    {
        await using var server = await StartAsync(new TestInviteHandler());
        Assert.Equal(4, server.BoundEndpoints.Count);
        Assert.All(server.BoundEndpoints, e => Assert.NotEqual(0, e.EndPoint.Port));
        Assert.All(server.ConfiguredEndpoints, e => Assert.Equal(0, e.EndPoint.Port));
    }

    [Theory]
    [InlineData(SipTransport.Udp, AddressFamily.InterNetwork)]
    [InlineData(SipTransport.Tcp, AddressFamily.InterNetwork)]
    [InlineData(SipTransport.Udp, AddressFamily.InterNetworkV6)]
    [InlineData(SipTransport.Tcp, AddressFamily.InterNetworkV6)]
    public async Task Call_client_gets_the_rejection_and_the_handler_sees_who_called_whom(
        SipTransport transport, AddressFamily family)
    {
        var handler = new TestInviteHandler
        {
            Decide = i => i.CalledNumber == "+74950000001" ? SipRejectDecision.Decline : SipRejectDecision.NotFound,
        };
        await using var server = await StartAsync(handler);
        var result = await new SipCallClient()
            .CallAsync(Bound(server, transport, family), "+7 (999) 111-22-33", "+74950000001")
            .WaitAsync(Functional);

        Assert.Equal(603, result.StatusCode);
        Assert.Equal("Decline", result.ReasonPhrase);
        Assert.False(result.TimedOut);
        Assert.NotNull(result.ToTag);
        var call = Assert.Single(handler.Calls);
        Assert.Equal(
            ("+79991112233", "+74950000001", transport, result.CallId),
            (call.CallerNumber, call.CalledNumber, call.Transport, call.CallId));
        Assert.Equal(SipCallerIdSource.From, call.CallerIdSource);

        // The ACK must reach the transaction: it leaves Completed long before Timer H.
        Assert.True(
            await Wait.UntilAsync(() => server.ActiveTransactions == 0 || transport == SipTransport.Udp, Functional));
        Assert.Equal(1, server.Counters.RejectedByCode[603]);
    }

    [Fact]
    public async Task Udp_ack_confirms_the_transaction_and_stops_retransmissions()
    {
        // The server's clock stands still until the ACK is known to be processed, so Timer G cannot fire
        // first however slow the machine; the client's T1 is long enough that it never retransmits.
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(new TestInviteHandler(), time: time);
        var endpoint = Bound(server, SipTransport.Udp, AddressFamily.InterNetwork);
        var client = new SipCallClient { T1 = Functional };
        var result = await client.CallAsync(endpoint, "100", "200").WaitAsync(Functional);
        Assert.Equal(486, result.StatusCode);

        // The client sent its ACK before returning. The server receives on more than one loop, so a later
        // datagram may be processed first: wait until the ACK has confirmed the transaction.
        Assert.True(await Wait.UntilAsync(() => server.ConfirmedInvites == 1, Functional));
        await PingAsync(endpoint.EndPoint);
        Assert.Equal(2, server.ActiveTransactions); // the confirmed INVITE (until Timer I) and the OPTIONS (Timer J)

        time.Advance(TimeSpan.FromSeconds(1)); // past Timer G's first firings (T1 = 500 ms)
        Assert.Equal(0, server.Counters.Retransmissions);
        time.Advance(TimeSpan.FromSeconds(5)); // Timer I (T4 = 5 s) ends the INVITE's, long before Timer H (32 s)
        Assert.Equal(1, server.ActiveTransactions); // only the OPTIONS' is left, until Timer J (32 s)
        Assert.Equal(0, server.Counters.Retransmissions);
    }

    [Fact]
    public async Task Raw_udp_options_are_answered_from_the_same_socket_to_the_rport()
    {
        await using var server = await StartAsync(new TestInviteHandler());
        var endpoint = Bound(server, SipTransport.Udp, AddressFamily.InterNetwork).EndPoint;
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)client.Client.LocalEndPoint!;
        var options = SipText.Bytes($"""
            OPTIONS sip:ping@127.0.0.1 SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.1:9;rport;branch=z9hG4bK-ping
            Max-Forwards: 70
            From: <sip:trunk@192.0.2.1>;tag=1
            To: <sip:ping@127.0.0.1>
            Call-ID: ping@test
            CSeq: 1 OPTIONS
            Content-Length: 0


            """);
        await client.SendAsync(options, endpoint);
        var received = await client.ReceiveAsync().WaitAsync(Functional);
        Assert.Equal(endpoint, received.RemoteEndPoint); // from the socket we sent to
        var response = SipText.ParseResponse(received.Buffer);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(
            local.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            response.TopVia!.Parameters.Get("rport"));
    }

    [Fact]
    public async Task Raw_udp_invite_without_ack_gets_the_final_retransmitted()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(new TestInviteHandler(), time: time);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var invite = SipText.Bytes(SipText.Invite(via: "SIP/2.0/UDP 127.0.0.1:1;rport"));
        var endpoint = Bound(server, SipTransport.Udp, AddressFamily.InterNetwork).EndPoint;
        await client.SendAsync(invite, endpoint);
        var first = await client.ReceiveAsync().WaitAsync(Functional);

        // Timer G is armed before the 486 goes out, so moving the clock now cannot miss it.
        Assert.Equal(0, server.Counters.Retransmissions);
        time.Advance(TimeSpan.FromMilliseconds(500)); // Timer G = T1
        var second = await client.ReceiveAsync().WaitAsync(Functional);
        Assert.Equal(1, server.Counters.Retransmissions);
        Assert.Equal(first.Buffer, second.Buffer);
        Assert.Equal(486, SipText.ParseResponse(first.Buffer).StatusCode);
    }

    [Fact]
    public async Task Tcp_handles_coalesced_and_split_messages_and_keepalive_pings()
    {
        await using var server = await StartAsync(new TestInviteHandler());
        using var tcp = new TcpClient(AddressFamily.InterNetworkV6);
        await tcp.ConnectAsync(Bound(server, SipTransport.Tcp, AddressFamily.InterNetworkV6).EndPoint);
        var stream = tcp.GetStream();
        byte[] Options(int n) => SipText.Bytes($"""
            OPTIONS sip:ping@[::1] SIP/2.0
            Via: SIP/2.0/TCP [::1]:9;branch=z9hG4bK-tcp{n}
            From: <sip:trunk@[::1]>;tag=1
            To: <sip:ping@[::1]>
            Call-ID: tcp{n}@test
            CSeq: {n} OPTIONS
            Content-Length: 0


            """);

        await stream.WriteAsync((byte[])[.. Options(1), .. Options(2)]); // two messages, one segment
        var three = Options(3);
        await stream.WriteAsync(three.AsMemory(0, 40));
        await stream.FlushAsync();
        await Task.Delay(50);
        await stream.WriteAsync(three.AsMemory(40)); // one message, two segments
        await stream.WriteAsync("\r\n\r\n"u8.ToArray()); // RFC 5626 ping

        var text = await ReadUntil(
            stream, s => CountOf(s, "SIP/2.0 200 OK") == 3 && s.EndsWith("\r\n\r\n\r\n", StringComparison.Ordinal));
        Assert.Contains("CSeq: 1 OPTIONS", text, StringComparison.Ordinal);
        Assert.Contains("CSeq: 2 OPTIONS", text, StringComparison.Ordinal);
        Assert.Contains("CSeq: 3 OPTIONS", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_oversize_message_closes_the_connection()
    {
        await using var server = await StartAsync(new TestInviteHandler(), o => o.MaxMessageSize = 2048);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Bound(server, SipTransport.Tcp, AddressFamily.InterNetwork).EndPoint);
        var stream = tcp.GetStream();
        await stream.WriteAsync(SipText.Bytes("INVITE sip:x@127.0.0.1 SIP/2.0\nContent-Length: 100000\n\n"));
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Functional);
        Assert.Equal(0, read); // closed by the server
        Assert.Equal(1, server.Counters.ParseErrors);
    }

    [Fact]
    public async Task Untrusted_tcp_peer_is_disconnected_at_accept()
    {
        await using var server = await StartAsync(
            new TestInviteHandler(), o => o.Trunks = [new TrunkOptions { Name = "v6only", Sources = ["::1"] }]);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Bound(server, SipTransport.Tcp, AddressFamily.InterNetwork).EndPoint);
        var read = await tcp.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(Functional);
        Assert.Equal(0, read);
        Assert.True(await Wait.UntilAsync(() => server.Counters.UntrustedDropped == 1, Functional));
    }

    [Fact]
    public async Task Call_client_retransmits_on_timer_A_and_gives_up_on_timer_B()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = new SipEndpoint(SipTransport.Udp, (IPEndPoint)silent.Client.LocalEndPoint!);
        var time = new FakeTimeProvider();
        var t1 = TimeSpan.FromMilliseconds(500);
        var call = new SipCallClient(time) { T1 = t1 }.CallAsync(endpoint, "1", "2");

        // Sent at 0, T1, 3·T1, 7·T1, 15·T1, 31·T1 and 63·T1 (Timer A doubles); Timer B ends it at 64·T1. The
        // clock moves only after each transmission arrived, and the client's timers are absolute, so the
        // count is exact however slow the machine.
        TimeSpan[] gaps = [t1, 2 * t1, 4 * t1, 8 * t1, 16 * t1, 32 * t1, t1];
        foreach (var gap in gaps)
        {
            var datagram = await silent.ReceiveAsync().WaitAsync(Functional);
            Assert.StartsWith("INVITE ", Encoding.ASCII.GetString(datagram.Buffer), StringComparison.Ordinal);
            time.Advance(gap);
        }

        var result = await call.WaitAsync(Functional);
        Assert.True(result.TimedOut);
        Assert.Equal(408, result.StatusCode);
        Assert.Equal(7, result.InviteTransmissions);
        Assert.Equal(0, silent.Available);
    }

    [Fact]
    public async Task Rejections_are_published_on_the_backcall_sip_meter()
    {
        var measured = new List<(string Name, long Value, object? Code)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SipServer.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            object? code = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "status_code")
                {
                    code = tag.Value;
                }
            }

            lock (measured)
            {
                measured.Add((instrument.Name, value, code));
            }
        });
        listener.Start();

        await using var server = await StartAsync(new TestInviteHandler());
        await new SipCallClient()
            .CallAsync(Bound(server, SipTransport.Tcp, AddressFamily.InterNetwork), "1", "2")
            .WaitAsync(Functional);

        // The 486 leaves before the server counts it: on a busy machine the client can read it first.
        bool Has(Func<(string Name, long Value, object? Code), bool> match)
        {
            lock (measured)
            {
                return measured.Any(match);
            }
        }

        await TlsTransportTests.Eventually(
            () => Has(m => m is { Name: "backcall.sip.invites.rejected", Value: 1, Code: 486 }));
        Assert.True(Has(m => m.Name == "backcall.sip.messages.received"));
    }

    /// <summary>Sends an OPTIONS to the server and waits for its answer.</summary>
    private static async Task PingAsync(IPEndPoint server)
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(SipText.Bytes("""
            OPTIONS sip:ping@127.0.0.1 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:9;rport;branch=z9hG4bK-ping-after-ack
            Max-Forwards: 70
            From: <sip:trunk@127.0.0.1>;tag=1
            To: <sip:ping@127.0.0.1>
            Call-ID: ping-after-ack@test
            CSeq: 1 OPTIONS
            Content-Length: 0


            """), server);
        var answer = await client.ReceiveAsync().WaitAsync(Functional);
        Assert.Equal(200, SipText.ParseResponse(answer.Buffer).StatusCode);
    }

    private static int CountOf(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private static async Task<string> ReadUntil(NetworkStream stream, Func<string, bool> done)
    {
        var sb = new StringBuilder();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Functional);
        while (!done(sb.ToString()))
        {
            var n = await stream.ReadAsync(buffer, cts.Token);
            Assert.NotEqual(0, n);
            sb.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return sb.ToString();
    }
}
