using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Sip.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Server;

/// <summary>
/// Abuse of the TCP endpoint by sources outside every trunk (127.0.0.2; the trunk is 127.0.0.1), and slow
/// senders: none of it may lock a trunk out.
/// </summary>
public sealed class TcpProtectionTests
{
    private static readonly TimeSpan Functional = TimeSpan.FromSeconds(30);
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.2");

    private static async Task<SipServer> StartAsync(Action<SipOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new SipOptions
        {
            Endpoints = "tcp:127.0.0.1:0",
            UntrustedPolicy = SipUntrustedPolicy.Forbidden, // under Drop strangers are closed at accept anyway
            Trunks = [new TrunkOptions { Name = "carrier", Sources = ["127.0.0.1"] }],
        };
        configure?.Invoke(options);
        var server = new SipServer(options, new TestInviteHandler(), time);
        await server.StartAsync();
        return server;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_trunk_still_gets_its_answer_after_1100_idle_one_byte_connections_from_a_stranger(
        bool noPerSourceCap)
    {
        // Without the cap on one source, the slots reserved for trunks are what keeps the door open.
        await using var server = await StartAsync(
            o => o.MaxTcpConnectionsPerSource = noPerSourceCap ? 100_000 : o.MaxTcpConnectionsPerSource);
        var endpoint = server.BoundEndpoints[0].EndPoint;
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 1100; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                socket.Bind(new IPEndPoint(Stranger, 0));
                await socket.ConnectAsync(endpoint);
                await socket.SendAsync("I"u8.ToArray());
            }

            var result = await new SipCallClient()
                .CallAsync(server.BoundEndpoints[0], "+79991112233", "+74950000001")
                .WaitAsync(Functional);
            Assert.Equal(486, result.StatusCode);
            Assert.True(server.TcpConnections <= 1024, $"{server.TcpConnections} connections open");
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_strangers_connection_is_closed_right_after_its_403()
    {
        await using var server = await StartAsync();
        using var tcp = new TcpClient(new IPEndPoint(Stranger, 0));
        await tcp.ConnectAsync(server.BoundEndpoints[0].EndPoint);
        var stream = tcp.GetStream();
        var invite = SipText.Invite(via: "SIP/2.0/TCP 127.0.0.2:5070");
        var second = invite.Replace("z9hG4bK-1", "z9hG4bK-2", StringComparison.Ordinal);
        await stream.WriteAsync(SipText.Bytes(invite + second));

        var text = await ReadToEndAsync(stream);
        Assert.StartsWith("SIP/2.0 403 Forbidden", text, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(text, "SIP/2.0 ")); // one answer, then the end: the second request is not read
    }

    [Fact]
    public async Task A_slow_sender_is_cut_off_at_the_message_deadline_on_the_servers_clock()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(
            o => (o.TcpMessageTimeout, o.TcpIdleTimeout) = (TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)), time);
        // A trunk: trusted, still held to the deadline.
        using var tcp = new TcpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await tcp.ConnectAsync(server.BoundEndpoints[0].EndPoint);
        var stream = tcp.GetStream();
        var invite = SipText.Bytes(SipText.Invite(via: "SIP/2.0/TCP 127.0.0.1:5070"));
        var start = time.GetUtcNow();

        // One byte per (fake) second: never idle, never a whole message.
        var read = stream.ReadAsync(new byte[64]).AsTask();
        var sent = 0;
        var cutOff = false;
        while (!read.IsCompleted
            && !cutOff
            && sent < invite.Length
            && time.GetUtcNow() - start < TimeSpan.FromMinutes(30))
        {
            try
            {
                await stream.WriteAsync(invite.AsMemory(sent++, 1));
            }
            catch (IOException)
            {
                cutOff = true; // closed between two bytes: the write saw it first
            }

            await Task.WhenAny(read, Task.Delay(20));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(await ClosedAsync(read)); // closed by the server
        Assert.InRange(time.GetUtcNow() - start, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30));
        Assert.True(sent < invite.Length);
    }

    [Fact]
    public async Task A_stranger_that_connects_and_sends_nothing_is_closed_at_the_message_deadline()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(
            o => (o.TcpMessageTimeout, o.TcpIdleTimeout) = (TimeSpan.FromSeconds(10), TimeSpan.FromHours(1)), time);
        using var tcp = new TcpClient(new IPEndPoint(Stranger, 0));
        await tcp.ConnectAsync(server.BoundEndpoints[0].EndPoint);
        var read = tcp.GetStream().ReadAsync(new byte[64]).AsTask();
        var start = time.GetUtcNow();
        while (!read.IsCompleted && time.GetUtcNow() - start < TimeSpan.FromMinutes(30))
        {
            await Task.WhenAny(read, Task.Delay(20));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(await ClosedAsync(read));
        Assert.InRange(time.GetUtcNow() - start, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task A_trunks_quiet_connection_stays_open_until_the_idle_timeout()
    {
        var time = new FakeTimeProvider();
        await using var server = await StartAsync(
            o => (o.TcpMessageTimeout, o.TcpIdleTimeout) = (TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5)), time);
        using var tcp = new TcpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await tcp.ConnectAsync(server.BoundEndpoints[0].EndPoint);
        var stream = tcp.GetStream();
        await stream.WriteAsync("\r\n\r\n"u8.ToArray()); // a keep-alive ping, answered
        var buffer = new byte[2];
        Assert.Equal(2, await stream.ReadAsync(buffer).AsTask().WaitAsync(Functional));
        var read = stream.ReadAsync(new byte[64]).AsTask();
        var start = time.GetUtcNow();
        while (!read.IsCompleted && time.GetUtcNow() - start < TimeSpan.FromMinutes(30))
        {
            await Task.WhenAny(read, Task.Delay(20));
            time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.True(await ClosedAsync(read));
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromMinutes(5), "closed before the idle timeout");
    }

    [Theory]
    [InlineData(nameof(SipOptions.TcpConnectionsReservedForTrunks), "Sip:TcpConnectionsReservedForTrunks")]
    [InlineData(nameof(SipOptions.MaxTcpConnectionsPerSource), "Sip:MaxTcpConnectionsPerSource")]
    [InlineData(nameof(SipOptions.TcpMessageTimeout), "Sip:TcpMessageTimeout")]
    [InlineData(nameof(SipOptions.RateLimitMaxSources), "Sip:RateLimitMaxSources")]
    public void Limits_out_of_range_are_named_in_the_validation_errors(string property, string key)
    {
        var options = new SipOptions();
        switch (property)
        {
            case nameof(SipOptions.TcpConnectionsReservedForTrunks):
                options.TcpConnectionsReservedForTrunks = options.MaxTcpConnections;
                break;
            case nameof(SipOptions.MaxTcpConnectionsPerSource):
                options.MaxTcpConnectionsPerSource = 0;
                break;
            case nameof(SipOptions.TcpMessageTimeout):
                options.TcpMessageTimeout = TimeSpan.Zero;
                break;
            default:
                options.RateLimitMaxSources = 0;
                break;
        }

        Assert.Contains(options.Validate(), e => e.Contains(key, StringComparison.Ordinal));
    }

    /// <summary>
    /// Whether a pending read ended by the server closing (end of stream, or a reset after unread data).
    /// </summary>
    private static async Task<bool> ClosedAsync(Task<int> read)
    {
        try
        {
            return await read.WaitAsync(Functional) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        var sb = new StringBuilder();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Functional);
        int n;
        while ((n = await stream.ReadAsync(buffer, cts.Token)) > 0)
        {
            sb.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return sb.ToString();
    }

    private static int CountOf(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
