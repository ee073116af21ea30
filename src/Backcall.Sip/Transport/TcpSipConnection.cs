using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Framing;
using Backcall.Sip.Processing;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Transport;

/// <summary>
/// One TCP or TLS connection, accepted or opened by us: a PipeReader loop cutting frames with
/// <see cref="SipFrameScanner"/>, and an outbox drained by a single writer so transaction timers never block
/// on the socket. Deadlines on <see cref="TimeProvider"/>: the TLS handshake and every message must complete
/// within <see cref="TcpConnectionSettings.MessageTimeout"/> of their first byte, and a quiet connection is
/// closed after <see cref="TcpConnectionSettings.IdleTimeout"/>.
/// </summary>
internal sealed class TcpSipConnection : SipChannel
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();
    private readonly Socket _socket;
    private readonly SipMessageProcessor _processor;
    private readonly TcpConnectionSettings _settings;
    private readonly SipFrameScanner _scanner;
    private readonly ILogger _logger;
    private readonly Func<Stream, CancellationToken, Task<Stream>>? _secure;
    private readonly TcpSipConnector? _reconnect;
    private readonly Channel<ReadOnlyMemory<byte>> _outbox = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private volatile bool _closing;

    private readonly Stream? _established;

    /// <param name="secure">Runs the TLS handshake of an accepted connection, under the message deadline; null: plain
    /// TCP.</param>
    /// <param name="established">The stream of a connection we opened (TLS already negotiated); null: made from the
    /// socket.</param>
    /// <param name="reconnect">Opens a new connection for responses once this one has closed; null: never.</param>
    public TcpSipConnection(
        Socket socket,
        SipTransport transport,
        SipMessageProcessor processor,
        TcpConnectionSettings settings,
        ILogger logger,
        Func<Stream, CancellationToken, Task<Stream>>? secure = null,
        Stream? established = null,
        TcpSipConnector? reconnect = null)
    {
        _established = established;
        _socket = socket;
        Transport = transport;
        _processor = processor;
        _settings = settings;
        _scanner = new SipFrameScanner(settings.MaxMessageSize);
        _logger = logger;
        _secure = secure;
        _reconnect = reconnect;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
    }

    public override SipTransport Transport { get; }

    public override IPEndPoint LocalEndPoint { get; }

    public IPEndPoint Remote { get; }

    /// <summary>
    /// Set before <see cref="RunAsync"/>: the first message is due within the message timeout of the connect.
    /// </summary>
    public bool FirstMessageDue { get; init; }

    /// <summary>Completes when the connection has closed.</summary>
    public Task Closed => _closed.Task;

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Send(ReadOnlyMemory<byte> message, IPEndPoint remote) => _outbox.Writer.TryWrite(message);

    /// <summary>
    /// Over this connection while it is open; once it has closed, over a new one to <paramref name="remote"/>
    /// (the source address and the Via sent-by port), as RFC 3261 §18.2.2 asks.
    /// </summary>
    public override void SendResponse(ReadOnlyMemory<byte> message, IPEndPoint remote, string sentByHost)
    {
        if (_outbox.Writer.TryWrite(message) || _closing || _reconnect is null)
        {
            return;
        }

        _reconnect.Send(Transport, remote, sentByHost, message);
    }

    /// <summary>
    /// Sends what is queued, then closes (an untrusted peer after its 403): no second request is read.
    /// </summary>
    public override void CloseWhenSent()
    {
        _closing = true;
        _outbox.Writer.TryComplete();
    }

    public async Task RunAsync(CancellationToken serverStopping)
    {
        var reason = "closed by peer";
        Stream? stream = null;
        Task? writer = null;
        try
        {
            stream = await OpenStreamAsync(serverStopping).ConfigureAwait(false);
            writer = WriteLoopAsync(stream);
            reason = await ReadLoopAsync(stream, serverStopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!serverStopping.IsCancellationRequested)
        {
            reason = $"no TLS handshake within {_settings.MessageTimeout}";
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
            or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            reason = ex.Message;
        }
        finally
        {
            _outbox.Writer.TryComplete();
            if (writer is not null)
            {
                await writer.ConfigureAwait(false);
            }

            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            _socket.Dispose();
            SipLog.TcpClosed(_logger, Remote, reason);
            _closed.TrySetResult();
        }
    }

    private async Task<Stream> OpenStreamAsync(CancellationToken serverStopping)
    {
        if (_established is not null)
        {
            return _established;
        }

        Stream stream = new NetworkStream(_socket, ownsSocket: true);
        if (_secure is null)
        {
            return stream;
        }

        using var deadline = new CancellationTokenSource(_settings.MessageTimeout, _settings.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, serverStopping);
        return await _secure(stream, linked.Token).ConfigureAwait(false);
    }

    private async Task<string> ReadLoopAsync(Stream stream, CancellationToken serverStopping)
    {
        var time = _settings.Time;
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var stopping = serverStopping.Register(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        long? messageStarted = FirstMessageDue ? time.GetTimestamp() : null;
        try
        {
            while (true)
            {
                var wait = messageStarted is { } started
                    ? _settings.MessageTimeout - time.GetElapsedTime(started)
                    : _settings.IdleTimeout;
                if (wait <= TimeSpan.Zero)
                {
                    return $"no complete message within {_settings.MessageTimeout}";
                }

                timeout.CancelAfter(wait);
                ReadResult read;
                try
                {
                    read = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return serverStopping.IsCancellationRequested ? "server stopping"
                        : messageStarted is null ? "idle timeout"
                        : $"no complete message within {_settings.MessageTimeout}";
                }

                var buffer = read.Buffer;
                try
                {
                    while (!_closing && _scanner.TryRead(ref buffer, out var frame))
                    {
                        Dispatch(frame);
                    }
                }
                catch (SipFramingException ex)
                {
                    _processor.ReportOversize();
                    return ex.Message;
                }

                // A message has begun: its deadline runs from now (or from the connect) until it is complete.
                messageStarted = HoldsMessageBytes(buffer) ? messageStarted ?? time.GetTimestamp() : null;
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (_closing)
                {
                    return "closed after answering";
                }

                if (read.IsCompleted)
                {
                    return "closed by peer";
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Whether unread bytes are the start of a message, not a keep-alive CRLF waiting for its pair.</summary>
    private static bool HoldsMessageBytes(ReadOnlySequence<byte> rest)
    {
        foreach (var segment in rest)
        {
            if (segment.Span.IndexOfAnyExcept((byte)'\r', (byte)'\n') >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private void Dispatch(SipFrame frame)
    {
        if (frame.Kind == SipFrameKind.KeepAlivePing)
        {
            Send(Pong, Remote);
            return;
        }

        var payload = frame.Payload;
        if (payload.IsSingleSegment)
        {
            _processor.Process(this, Remote, payload.FirstSpan);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(rented);
            _processor.Process(this, Remote, rented.AsSpan(0, (int)payload.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private async Task WriteLoopAsync(Stream stream)
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await stream.WriteAsync(message).ConfigureAwait(false);
            }

            if (_closing)
            {
                _socket.Shutdown(SocketShutdown.Both); // wakes the reader: nothing more is read from this peer
            }
        }
        catch (Exception ex)
            when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            SipLog.SendFailed(_logger, Remote, ex);
            _socket.Dispose(); // unblock the reader too
        }
    }

    public void Close() => _socket.Dispose();
}
