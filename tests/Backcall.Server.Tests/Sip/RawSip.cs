using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// Hand-written SIP messages for the cases sipp cannot drive exactly: bytes split or batched on a TCP
/// stream, two requests sent back to back, byte-level comparison of retransmitted responses.
/// </summary>
public sealed class RawSip(string transport, IPEndPoint local, string server)
{
    private readonly string _branch = "z9hG4bK-raw-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _fromTag = Guid.NewGuid().ToString("N")[..8];

    public string CallId { get; } = $"raw-{Guid.NewGuid():N}@test";

    private string Via => $"Via: SIP/2.0/{transport.ToUpperInvariant()} {local};branch={_branch}";

    public string Invite(string caller, string called)
    {
        const string sdp =
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n";
        return $"INVITE sip:{called}@{server} SIP/2.0\r\n{Via}\r\n"
            + $"From: <sip:{caller}@{local.Address}>;tag={_fromTag}\r\nTo: <sip:{called}@{server}>\r\n"
            + $"Call-ID: {CallId}\r\nCSeq: 1 INVITE\r\nContact: <sip:{caller}@{local}>\r\nMax-Forwards: 70\r\n"
            + $"Content-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}";
    }

    public string Cancel(string called) =>
        $"CANCEL sip:{called}@{server} SIP/2.0\r\n{Via}\r\n"
        + $"From: <sip:x@{local.Address}>;tag={_fromTag}\r\nTo: <sip:{called}@{server}>\r\n"
        + $"Call-ID: {CallId}\r\nCSeq: 1 CANCEL\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    /// <summary>ACK for a non-2xx final response: same branch, the response's To (RFC 3261 §17.1.1.3).</summary>
    public string Ack(string called, string finalResponse) =>
        $"ACK sip:{called}@{server} SIP/2.0\r\n{Via}\r\n"
        + $"From: <sip:x@{local.Address}>;tag={_fromTag}\r\nTo: {Header(finalResponse, "To")}\r\n"
        + $"Call-ID: {CallId}\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    public static int Status(string response) =>
        int.Parse(response.AsSpan(8, 3), System.Globalization.CultureInfo.InvariantCulture);

    public static string Header(string message, string name)
    {
        foreach (var line in message.Split("\r\n"))
        {
            if (line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            {
                return line[(name.Length + 1)..].Trim();
            }
        }

        throw new InvalidDataException($"no {name} header in:\n{message}");
    }

    public static IPEndPoint Parse(string endpoint) => IPEndPoint.Parse(endpoint);
}

/// <summary>Reads whole SIP messages off a TCP stream (headers up to CRLFCRLF, then Content-Length bytes).</summary>
public sealed class SipStreamReader(NetworkStream stream)
{
    private readonly List<byte> _buffer = [];

    /// <summary>The next message, or null if none came within <paramref name="timeout"/>.</summary>
    public async Task<string?> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var chunk = new byte[4096];
        while (true)
        {
            if (TryTake(out var message))
            {
                return message;
            }

            int n;
            try
            {
                n = await stream.ReadAsync(chunk, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            if (n == 0)
            {
                throw new EndOfStreamException(
                    "the server closed the connection; buffered: " + Encoding.Latin1.GetString([.. _buffer]));
            }

            _buffer.AddRange(chunk.AsSpan(0, n));
        }
    }

    /// <summary>The next final (non-1xx) response.</summary>
    public async Task<string> ReadFinalAsync(TimeSpan timeout)
    {
        while (true)
        {
            var message = await ReadAsync(timeout) ?? throw new TimeoutException("no final response");
            if (RawSip.Status(message) >= 200)
            {
                return message;
            }
        }
    }

    private bool TryTake(out string message)
    {
        message = "";
        var text = Encoding.Latin1.GetString([.. _buffer]);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var length = int.Parse(
            RawSip.Header(text[..end], "Content-Length"), System.Globalization.CultureInfo.InvariantCulture);
        var total = end + 4 + length;
        if (text.Length < total)
        {
            return false;
        }

        message = text[..total];
        _buffer.RemoveRange(0, total);
        return true;
    }
}
