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
/// One inbound TCP connection: a PipeReader loop cutting frames with <see cref="SipFrameScanner"/>, and an
/// outbox drained by a single writer so transaction timers never block on the socket.
/// </summary>
internal sealed class TcpSipConnection : SipChannel
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();
    private readonly Socket _socket;
    private readonly SipMessageProcessor _processor;
    private readonly SipFrameScanner _scanner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly Channel<ReadOnlyMemory<byte>> _outbox = Channel.CreateBounded<ReadOnlyMemory<byte>>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public TcpSipConnection(Socket socket, SipMessageProcessor processor, int maxMessageSize, TimeProvider time, TimeSpan idleTimeout, ILogger logger)
    {
        _socket = socket;
        _processor = processor;
        _scanner = new SipFrameScanner(maxMessageSize);
        _time = time;
        _idleTimeout = idleTimeout;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
    }

    public override SipTransport Transport => SipTransport.Tcp;

    public override IPEndPoint LocalEndPoint { get; }

    public IPEndPoint Remote { get; }

    public override void Send(ReadOnlyMemory<byte> message, IPEndPoint remote) => _outbox.Writer.TryWrite(message);

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var stream = new NetworkStream(_socket, ownsSocket: true);
        var writer = WriteLoopAsync(stream);
        var reason = "closed by peer";
        try
        {
            reason = await ReadLoopAsync(stream, serverStopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            reason = ex.Message;
        }
        finally
        {
            _outbox.Writer.TryComplete();
            await writer.ConfigureAwait(false);
            SipLog.TcpClosed(_logger, Remote, reason);
        }
    }

    private async Task<string> ReadLoopAsync(NetworkStream stream, CancellationToken serverStopping)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var stopping = serverStopping.Register(static s => ((CancellationTokenSource)s!).Cancel(), idle);
        try
        {
            while (true)
            {
                idle.CancelAfter(_idleTimeout);
                ReadResult read;
                try
                {
                    read = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return serverStopping.IsCancellationRequested ? "server stopping" : "idle timeout";
                }

                var buffer = read.Buffer;
                try
                {
                    while (_scanner.TryRead(ref buffer, out var frame))
                    {
                        Dispatch(frame);
                    }
                }
                catch (SipFramingException ex)
                {
                    _processor.ReportOversize();
                    return ex.Message;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
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

    private async Task WriteLoopAsync(NetworkStream stream)
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await stream.WriteAsync(message).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            SipLog.SendFailed(_logger, Remote, ex);
            _socket.Dispose(); // unblock the reader too
        }
    }

    public void Close() => _socket.Dispose();
}
