using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Backcall.Sip.Framing;
using Backcall.Sip.Tls;

namespace Backcall.Sip.Client;

/// <summary>The client's view of a transport: send bytes, receive whole messages with a timeout.</summary>
internal abstract class ClientConnection : IAsyncDisposable
{
    public abstract IPEndPoint LocalEndPoint { get; }

    public abstract bool IsReliable { get; }

    public abstract ValueTask SendAsync(byte[] message, CancellationToken cancellationToken);

    /// <summary>Next message, or null when the timeout passed first.</summary>
    public abstract ValueTask<byte[]?> ReceiveAsync(
        TimeSpan timeout,
        TimeProvider time,
        CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <param name="trust">For TLS: whom to trust (default the system store).</param>
    /// <param name="serverName">For TLS: the name the server's certificate must carry (default its address).</param>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The TLS server is not
    /// trusted.</exception>
    public static async Task<ClientConnection> OpenAsync(
        SipEndpoint server,
        int maxMessageSize,
        CancellationToken cancellationToken,
        TlsTrust? trust = null,
        string? serverName = null)
    {
        var udp = server.Transport == SipTransport.Udp;
        var socket = new Socket(
            server.EndPoint.AddressFamily,
            udp ? SocketType.Dgram : SocketType.Stream,
            udp ? ProtocolType.Udp : ProtocolType.Tcp);
        try
        {
            // Connecting a UDP socket picks the local address for Via/Contact and filters other senders.
            await socket.ConnectAsync(server.EndPoint, cancellationToken).ConfigureAwait(false);
            if (udp)
            {
                return new Udp(socket);
            }

            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (server.Transport == SipTransport.Tls)
            {
                var host = serverName ?? server.EndPoint.Address.ToString();
                stream = await (trust ?? TlsTrust.System)
                    .AuthenticateAsClientAsync(stream, host, cancellationToken)
                    .ConfigureAwait(false);
            }

            return new Tcp(socket, stream, maxMessageSize);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected static async ValueTask<T?> WithTimeout<T>(
        Func<CancellationToken, ValueTask<T>> operation,
        TimeSpan timeout,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            return await operation(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
            when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return default;
        }
    }

    private sealed class Udp(Socket socket) : ClientConnection
    {
        private readonly byte[] _buffer = new byte[65536];

        public override IPEndPoint LocalEndPoint => (IPEndPoint)socket.LocalEndPoint!;

        public override bool IsReliable => false;

        public override async ValueTask SendAsync(byte[] message, CancellationToken cancellationToken) =>
            await socket.SendAsync(message, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        public override async ValueTask<byte[]?> ReceiveAsync(
            TimeSpan timeout,
            TimeProvider time,
            CancellationToken cancellationToken)
        {
            while (true)
            {
                try
                {
                    var received = await WithTimeout(
                            ct => socket.ReceiveAsync(_buffer, SocketFlags.None, ct),
                            timeout,
                            time,
                            cancellationToken)
                        .ConfigureAwait(false);
                    return received == 0 ? null : _buffer.AsSpan(0, received).ToArray();
                }
                catch (SocketException ex)
                    when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
                {
                    // ICMP port unreachable from an earlier send; Timer A/B decide when to give up.
                    await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public override ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>TCP, or TLS over TCP: a stream of framed messages.</summary>
    private sealed class Tcp : ClientConnection
    {
        private readonly Socket _socket;
        private readonly Stream _stream;
        private readonly PipeReader _reader;
        private readonly SipFrameScanner _scanner;

        /// <param name="stream">The socket's stream, or TLS over it.</param>
        public Tcp(Socket socket, Stream stream, int maxMessageSize)
        {
            _socket = socket;
            _stream = stream;
            _reader = PipeReader.Create(_stream);
            _scanner = new SipFrameScanner(maxMessageSize);
        }

        public override IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

        public override bool IsReliable => true;

        public override async ValueTask SendAsync(byte[] message, CancellationToken cancellationToken) =>
            await _stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);

        public override ValueTask<byte[]?> ReceiveAsync(
            TimeSpan timeout,
            TimeProvider time,
            CancellationToken cancellationToken) => WithTimeout(ReadFrameAsync, timeout, time, cancellationToken);

        private async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var read = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = read.Buffer;
                byte[]? message = null;
                while (message is null && _scanner.TryRead(ref buffer, out var frame))
                {
                    if (frame.Kind == SipFrameKind.Message)
                    {
                        message = frame.Payload.ToArray();
                    }
                }

                if (message is not null)
                {
                    // Only what was consumed counts as examined: a response read in the same segment (a 486
                    // right behind its 100) must be returned by the next read, not wait for more bytes.
                    _reader.AdvanceTo(buffer.Start);
                    return message;
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);

                if (read.IsCompleted)
                {
                    throw new IOException("The server closed the connection before a final response.");
                }
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
