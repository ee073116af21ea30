using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Processing;
using Backcall.Sip.Tls;
using Backcall.Sip.Trunks;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Transport;

/// <summary>
/// Accepts TCP or TLS connections and runs one <see cref="TcpSipConnection"/> per peer, within the shared
/// <see cref="TcpConnectionSlots"/>. Sources outside every trunk are closed at once under the Drop policy,
/// else held to their share of the slots and to a deadline for their first message.
/// </summary>
internal sealed class TcpSipListener : IDisposable
{
    private readonly Socket _socket;
    private readonly SipMessageProcessor _processor;
    private readonly TcpConnectionSettings _settings;
    private readonly TcpConnectionSlots _slots;
    private readonly TlsCertificateSource? _certificates;
    private readonly TcpSipConnector _connector;
    private readonly int _maxConnections;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<TcpSipConnection, Task> _connections = new();

    /// <param name="certificates">The certificate for a <c>tls:</c> endpoint; null for <c>tcp:</c>.</param>
    public TcpSipListener(
        SipEndpoint endpoint,
        SipMessageProcessor processor,
        TcpConnectionSettings settings,
        TcpConnectionSlots slots,
        int maxConnections,
        TlsCertificateSource? certificates,
        TcpSipConnector connector,
        ILogger logger)
    {
        _processor = processor;
        _settings = settings;
        _slots = slots;
        _maxConnections = maxConnections;
        _certificates = certificates;
        _connector = connector;
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

        Bound = new SipEndpoint(endpoint.Transport, (IPEndPoint)_socket.LocalEndPoint!);
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

            Admit(client, cancellationToken);
        }

        foreach (var connection in _connections.Keys)
        {
            connection.Close();
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
    }

    private void Admit(Socket client, CancellationToken cancellationToken)
    {
        var remote = (IPEndPoint)client.RemoteEndPoint!;
        if (!_processor.AcceptsConnectionFrom(remote, out var trusted))
        {
            client.Dispose(); // untrusted under the Drop policy: no need to read anything
            return;
        }

        var source = SourceKey.Of(remote.Address);
        var refusal = _slots.TryTake(source, trusted);
        if (refusal != TcpConnectionSlots.Refusal.None)
        {
            if (refusal == TcpConnectionSlots.Refusal.Full)
            {
                SipLog.TcpLimit(_logger, _maxConnections, remote);
            }
            else
            {
                SipLog.TcpUntrustedRefused(_logger, remote, refusal.ToString());
            }

            client.Dispose();
            return;
        }

        client.NoDelay = true;
        var connection = new TcpSipConnection(
            client,
            Bound.Transport,
            _processor,
            _settings,
            _logger,
            Secure(),
            reconnect: _connector)
        {
            FirstMessageDue = !trusted,
        };
        _connections[connection] = RunConnectionAsync(connection, source, trusted, cancellationToken);
    }

    private Func<Stream, CancellationToken, Task<Stream>>? Secure()
    {
        if (_certificates is null)
        {
            return null;
        }

        var certificate = _certificates.Current; // read per connection: a renewed certificate applies at once
        return async (stream, cancellationToken) =>
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                var options = new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificate,
                    ClientCertificateRequired = false,
                };
                await ssl.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
                return ssl;
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        };
    }

    private async Task RunConnectionAsync(
        TcpSipConnection connection,
        SourceKey source,
        bool trusted,
        CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            _slots.Release(source, trusted);
        }
    }

    public void Dispose() => _socket.Dispose();
}
