using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Testing;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>
/// What a <see cref="WebhookReceiver"/> answers: a status after <see cref="Delay"/>, or no answer at all
/// (<see cref="Hang"/>).
/// </summary>
public sealed record ReceiverReply(
    int Status,
    string Body = "",
    IReadOnlyDictionary<string, string>? Headers = null,
    bool Hang = false,
    TimeSpan Delay = default)
{
    public static ReceiverReply Ok { get; } = new(200, "ok");

    public static ReceiverReply NoAnswer { get; } = new(0, Hang: true);
}

/// <summary>One request as it arrived: the raw request target, exactly as written on the request line.</summary>
public sealed record ReceivedRequest(
    int Index, string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string Header(string name) =>
        Headers.TryGetValue(name, out var v)
            ? v
            : throw new KeyNotFoundException($"no {name} header; got: {string.Join(", ", Headers.Keys)}");
}

/// <summary>
/// A webhook receiver on loopback written on a bare socket (HTTP/1.1, one request per connection), so the
/// test sees the request line byte for byte and can stop and restart it on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private int _count;

    private WebhookReceiver(IPAddress address) => Address = address;

    public IPAddress Address { get; }

    public int Port { get; private set; }

    /// <summary>Decides each answer; default 200.</summary>
    public Func<ReceivedRequest, ReceiverReply> Reply { get; set; } = _ => ReceiverReply.Ok;

    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    public static WebhookReceiver Start(IPAddress? address = null)
    {
        var receiver = new WebhookReceiver(address ?? IPAddress.Loopback);
        receiver.Listen(0);
        return receiver;
    }

    public string Url(string pathAndQuery = "/hook") => $"http://{Address}:{Port}{pathAndQuery}";

    /// <summary>Stops listening: connections are refused until <see cref="Restart"/>.</summary>
    public async Task StopAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _stop!.CancelAsync();
        _listener.Stop();
        _listener = null;
        try
        {
            await _loop!;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Restart() => Listen(Port);

    public async Task<ReceivedRequest> WaitForAsync(
        Func<ReceivedRequest, bool> match, TimeSpan? timeout = null, string what = "a webhook")
    {
        ReceivedRequest? hit = null;
        if (await Wait.UntilAsync(() => (hit = _received.FirstOrDefault(match)) is not null, timeout))
        {
            return hit!;
        }

        throw new TimeoutException(
            $"{what} did not arrive; received: [{string.Join(", ", _received.Select(r => r.Target))}]");
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Listen(int port)
    {
        var listener = new TcpListener(Address, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _stop = new CancellationTokenSource();
        _loop = AcceptLoopAsync(listener, _stop.Token);
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop);
            _ = Task.Run(() => ServeAsync(client, stop), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var head = await ReadHeadAsync(stream, stop);
            if (head is null)
            {
                return;
            }

            var lines = head.Split("\r\n");
            var requestLine = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }

            var request = new ReceivedRequest(
                Interlocked.Increment(ref _count), requestLine[0], requestLine[1], headers);
            _received.Enqueue(request);
            var reply = Reply(request);
            if (reply.Hang)
            {
                await Task.Delay(Timeout.Infinite, stop);
            }

            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, stop);
            }

            var body = Encoding.UTF8.GetBytes(reply.Body);
            var response = new StringBuilder($"HTTP/1.1 {reply.Status} {ReasonOf(reply.Status)}\r\n"
                + $"Content-Length: {body.Length}\r\nConnection: close\r\n");
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                response.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            response.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()), stop);
            await stream.WriteAsync(body, stop);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), stop);
            if (n == 0)
            {
                return null;
            }

            read += n;
            var text = Encoding.ASCII.GetString(buffer, 0, read);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return text[..end];
            }
        }

        return null;
    }

    private static string ReasonOf(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        302 => "Found",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
