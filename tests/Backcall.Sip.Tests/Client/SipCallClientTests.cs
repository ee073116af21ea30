using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Sip.Message;
using Backcall.Sip.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Client;

/// <summary>
/// <see cref="SipCallClient"/> against a scripted server on a real loopback socket, for the stream edges a real
/// server only shows under load.
/// </summary>
public sealed class SipCallClientTests
{
    private static readonly TimeSpan Functional = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A busy server's 100 Trying and 486 can leave in one segment. The client once marked the whole read as
    /// examined after taking the 100, so its next read waited for bytes that never came, and Timer B turned the 486
    /// already received into a 408.
    /// </summary>
    [Fact]
    public async Task A_final_response_read_together_with_the_100_is_not_left_waiting_in_the_buffer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = SipEndpoint.Parse("tcp:" + listener.LocalEndpoint);

        // On a fake clock Timer B never fires: the call ends with the 486 or not at all.
        var call = new SipCallClient(new FakeTimeProvider()).CallAsync(server, "+79991112233", "+79640000001");
        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(Functional);
        var stream = accepted.GetStream();
        var invite = SipText.ParseRequest(await ReadMessageAsync(stream));
        var both = Response(invite, "100 Trying") + Response(invite, "486 Busy Here");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(both)); // one write: one segment on loopback

        var result = await call.WaitAsync(Functional);

        Assert.Equal(486, result.StatusCode);
        Assert.True(result.ReceivedProvisional);
        Assert.StartsWith("ACK ", await ReadMessageAsync(stream), StringComparison.Ordinal);
    }

    private static string Response(SipRequest request, string status) =>
        $"SIP/2.0 {status}\r\n"
        + $"Via: {request.GetHeader(SipHeaderNames.Via)}\r\n"
        + $"From: {request.GetHeader(SipHeaderNames.From)}\r\n"
        + $"To: {request.GetHeader(SipHeaderNames.To)};tag=t1\r\n"
        + $"Call-ID: {request.CallId}\r\n"
        + $"CSeq: {request.GetHeader(SipHeaderNames.CSeq)}\r\n"
        + "Content-Length: 0\r\n\r\n";

    /// <summary>
    /// One message, its body included (by Content-Length), read byte by byte so nothing after it is taken.
    /// </summary>
    private static async Task<string> ReadMessageAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        using var cts = new CancellationTokenSource(Functional);
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one, cts.Token));
            text.Append((char)one[0]);
        }

        var length = text.ToString().Split("\r\n")
            .Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture))
            .SingleOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cts.Token);
        return text + Encoding.UTF8.GetString(body);
    }
}
