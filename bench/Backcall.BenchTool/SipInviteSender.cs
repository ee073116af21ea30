using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Backcall.BenchTool;

/// <summary>
/// A minimal UAC over UDP: sends one INVITE per pair at a fixed pace, notes when the final response came,
/// and ACKs it (RFC 3261 §17.1.1.3) so the server's transaction ends without retransmitting the 486.
/// </summary>
internal sealed class SipInviteSender : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly string _local;
    private readonly string _nonce = Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentDictionary<string, (int Index, string RequestUri)> _calls = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiving;

    public SipInviteSender(IPEndPoint server, int count)
    {
        _server = server;
        _socket.ReceiveBufferSize = 8 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _local = _socket.LocalEndPoint!.ToString()!;
        SentAt = new long[count];
        AnsweredAt = new long[count];
    }

    public long[] SentAt { get; }

    public long[] AnsweredAt { get; }

    public int Finals;

    public void StartReceiving() => _receiving = Task.Run(ReceiveLoopAsync);

    /// <summary>
    /// Sends the INVITEs of <paramref name="pairs"/> at <paramref name="rate"/> per second, on this thread.
    /// </summary>
    public void SendPaced(
        IReadOnlyList<(string Caller, string Called, long Id)> pairs, double rate, CancellationToken deadline)
    {
        var start = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / rate;
        for (var i = 0; i < pairs.Count && !deadline.IsCancellationRequested; i++)
        {
            // Sleep until due rather than spin: on a 2-core machine a spinning sender would take a core from
            // the server. Thread.Sleep(1) wakes within ~1.1 ms, so calls leave at most that late, never early.
            var due = start + (long)(i * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.Sleep(1);
            }

            var (caller, called, id) = pairs[i];
            var callId = $"e2e-{id}-{_nonce}@127.0.0.1";
            var requestUri = $"sip:{called}@{_server}";
            _calls[callId] = (i, requestUri);
            var invite =
                $"INVITE {requestUri} SIP/2.0\r\n" +
                $"Via: SIP/2.0/UDP {_local};branch=z9hG4bK{id}{_nonce};rport\r\n" +
                "Max-Forwards: 70\r\n" +
                $"From: <sip:{caller}@127.0.0.1>;tag={_nonce}{id}\r\n" +
                $"To: <{requestUri}>\r\n" +
                $"Call-ID: {callId}\r\n" +
                "CSeq: 1 INVITE\r\n" +
                $"Contact: <sip:{caller}@{_local}>\r\n" +
                "Content-Length: 0\r\n\r\n";
            SentAt[i] = Stopwatch.GetTimestamp();
            _socket.SendTo(Encoding.ASCII.GetBytes(invite), _server);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receiving?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The socket was closed under the pending receive: that is how the loop ends.
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            var now = Stopwatch.GetTimestamp();
            var text = Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
            if (!text.StartsWith("SIP/2.0 ", StringComparison.Ordinal) || text.Length < 12 || text[8] < '2')
            {
                continue; // a provisional response (100 Trying) or not a response at all
            }

            var headers = Headers(text);
            if (!headers.TryGetValue("call-id", out var callId) || !_calls.TryGetValue(callId, out var call))
            {
                continue;
            }

            if (AnsweredAt[call.Index] == 0)
            {
                AnsweredAt[call.Index] = now;
                Interlocked.Increment(ref Finals);
            }

            var ack =
                $"ACK {call.RequestUri} SIP/2.0\r\n" +
                $"Via: {headers["via"]}\r\n" +
                "Max-Forwards: 70\r\n" +
                $"From: {headers["from"]}\r\n" +
                $"To: {headers["to"]}\r\n" +
                $"Call-ID: {callId}\r\n" +
                "CSeq: 1 ACK\r\n" +
                "Content-Length: 0\r\n\r\n";
            _socket.SendTo(Encoding.ASCII.GetBytes(ack), _server);
        }
    }

    /// <summary>The first value of each header, by lower-case full name (compact forms expanded).</summary>
    private static Dictionary<string, string> Headers(string message)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in message.Split("\r\n").Skip(1))
        {
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim().ToLowerInvariant() switch
            {
                "v" => "via",
                "f" => "from",
                "t" => "to",
                "i" => "call-id",
                var n => n,
            };
            headers.TryAdd(name, line[(colon + 1)..].Trim());
        }

        return headers;
    }
}
