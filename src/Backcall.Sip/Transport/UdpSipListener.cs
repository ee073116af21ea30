using System.Net;
using System.Net.Sockets;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Processing;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Transport;

/// <summary>
/// One UDP socket: a receive loop that hands each datagram to the processor, and the channel responses
/// are sent back through (same socket, so the source port the trunk sees is the one it sent to).
/// </summary>
internal sealed class UdpSipListener : SipChannel, IDisposable
{
    private readonly Socket _socket;
    private readonly SipMessageProcessor _processor;
    private readonly int _maxMessageSize;
    private readonly ILogger _logger;

    public UdpSipListener(SipEndpoint endpoint, SipMessageProcessor processor, int maxMessageSize, ILogger logger)
    {
        _processor = processor;
        _maxMessageSize = maxMessageSize;
        _logger = logger;
        _socket = new Socket(endpoint.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endpoint.EndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                _socket.DualMode = true; // [::] also serves IPv4 trunks
            }

            TrySetBuffers(_socket);
            _socket.Bind(endpoint.EndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        Bound = new SipEndpoint(SipTransport.Udp, LocalEndPoint);
    }

    public override SipTransport Transport => SipTransport.Udp;

    public override IPEndPoint LocalEndPoint { get; }

    public SipEndpoint Bound { get; }

    /// <summary>
    /// Receives on as many loops as there are cores (at least two): while one loop parses a datagram or
    /// waits to be scheduled, another takes the next one off the kernel queue, so a short stall of one
    /// thread does not let a burst overflow the socket's receive buffer. The processor is thread-safe
    /// (TCP connections call it concurrently as well).
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(
            Enumerable
                .Range(0, Math.Max(2, Environment.ProcessorCount))
                .Select(_ => ReceiveLoopAsync(cancellationToken)));

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // One byte more than the limit so an oversize datagram is recognisable as such.
        var buffer = GC.AllocateUninitializedArray<byte>(Math.Min(_maxMessageSize + 1, 65536), pinned: true);
        EndPoint any =
            LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
                ? new IPEndPoint(IPAddress.IPv6Any, 0)
                : new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket
                    .ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.MessageSize)
            {
                SipLog.OversizeDatagram(_logger, LocalEndPoint);
                continue;
            }
            catch (SocketException ex)
                when (ex.SocketErrorCode
                        is SocketError.ConnectionReset
                            or SocketError.ConnectionRefused
                            or SocketError.NetworkReset)
            {
                continue; // ICMP unreachable for an earlier send: not our receive's problem
            }
            catch (SocketException ex)
            {
                SipLog.ReceiveFailed(_logger, Bound, ex);
                continue;
            }

            var remote = (IPEndPoint)received.RemoteEndPoint;
            if (received.ReceivedBytes > _maxMessageSize)
            {
                SipLog.OversizeDatagram(_logger, remote);
                _processor.ReportOversize();
                continue;
            }

            _processor.Process(this, remote, buffer.AsSpan(0, received.ReceivedBytes));
        }
    }

    public override void Send(ReadOnlyMemory<byte> message, IPEndPoint remote)
    {
        try
        {
            _socket.SendTo(message.Span, SocketFlags.None, remote);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            SipLog.SendFailed(_logger, remote, ex);
        }
    }

    public void Dispose() => _socket.Dispose();

    private static void TrySetBuffers(Socket socket)
    {
        try
        {
            // Bursts of INVITEs must not overflow the kernel queue while the loop is busy.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
        }
        catch (SocketException)
        {
            // The OS cap applies; the default still works.
        }
    }
}
