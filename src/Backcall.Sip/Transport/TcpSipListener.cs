using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Processing;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Transport;

/// <summary>Accepts TCP connections and runs one <see cref="TcpSipConnection"/> per peer, up to a limit.</summary>
internal sealed class TcpSipListener : IDisposable
{
    private readonly Socket _socket;
    private readonly SipMessageProcessor _processor;
    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<TcpSipConnection, Task> _connections = new();

    public TcpSipListener(SipEndpoint endpoint, SipMessageProcessor processor, SipOptions options, TimeProvider time, ILogger logger)
    {
        _processor = processor;
        _options = options;
        _time = time;
        _logger = logger;
        _socket = new Socket(endpoint.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.EndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                _socket.DualMode = true;
            }

            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(endpoint.EndPoint);
            _socket.Listen(512);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        Bound = new SipEndpoint(SipTransport.Tcp, (IPEndPoint)_socket.LocalEndPoint!);
    }

    public SipEndpoint Bound { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                SipLog.ReceiveFailed(_logger, Bound, ex);
                continue;
            }

            var remote = (IPEndPoint)client.RemoteEndPoint!;
            if (_connections.Count >= _options.MaxTcpConnections)
            {
                SipLog.TcpLimit(_logger, _options.MaxTcpConnections, remote);
                client.Dispose();
                continue;
            }

            if (!_processor.AcceptsConnectionFrom(remote))
            {
                client.Dispose(); // untrusted under the Drop policy: no need to read anything
                continue;
            }

            client.NoDelay = true;
            var connection = new TcpSipConnection(client, _processor, _options.MaxMessageSize, _time, _options.TcpIdleTimeout, _logger);
            _connections[connection] = RunConnectionAsync(connection, cancellationToken);
        }

        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
    }

    private async Task RunConnectionAsync(TcpSipConnection connection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    public void Dispose() => _socket.Dispose();
}
