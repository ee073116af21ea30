using System.Net;
using System.Net.Sockets;
using Backcall.Sip.Processing;
using Backcall.Sip.Tls;
using Backcall.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Registration;

/// <summary>
/// Opens real registrar links whose received messages go through the server's pipeline (requests are
/// judged as every request is; responses reach the registration by Call-ID). TCP links come from a connector
/// of their own, held to the server's connection settings except the idle timeout: our keep-alives and
/// refreshes are what keep a registration's connection, and its calls arrive on it.
/// </summary>
internal sealed class RegistrarLinks(
    SipMessageProcessor processor,
    SipOptions options,
    TcpConnectionSettings tcp,
    TcpConnectionSlots slots,
    TlsTrust trust,
    ILogger logger) : IAsyncDisposable
{
    /// <summary>
    /// Longer than any silence of a live registration: a refresh comes at half the granted time, at most 12 h
    /// (Expires is at most 86400 s). A finite value, as the connection's read loop takes no infinite one.
    /// </summary>
    private static readonly TimeSpan RegistrationIdleTimeout = TimeSpan.FromDays(1);

    private readonly TcpSipConnector _connector =
        new(processor, tcp with { IdleTimeout = RegistrationIdleTimeout }, slots, trust, logger);

    /// <summary>
    /// A socket of the registration's own toward <paramref name="registrar"/>. Over TLS the registrar's certificate
    /// must
    /// chain to <paramref name="tlsTrust"/> (else <c>Sip:Tls:CaFile</c> or the system store) and name
    /// <paramref name="serverName"/>, the registrar's configured host (sent as SNI), not the address it resolved to.
    /// </summary>
    public async Task<IRegistrarLink> OpenAsync(
        SipTransport transport,
        IPEndPoint registrar,
        string serverName,
        TlsTrust? tlsTrust,
        CancellationToken cancellationToken)
    {
        if (transport == SipTransport.Udp)
        {
            var listener = new UdpSipListener(
                new SipEndpoint(SipTransport.Udp, new IPEndPoint(LocalAddressToward(registrar), 0)),
                processor,
                options.MaxMessageSize,
                logger);
            return new UdpLink(listener, registrar);
        }

        var connection = await _connector
            .ConnectOwnAsync(transport, registrar, serverName, tlsTrust, cancellationToken)
            .ConfigureAwait(false);
        return new TcpLink(connection);
    }

    public ValueTask DisposeAsync() => _connector.DisposeAsync();

    /// <summary>
    /// The local address the system routes to <paramref name="remote"/> from (what the registrar sees).
    /// </summary>
    private static IPAddress LocalAddressToward(IPEndPoint remote)
    {
        using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(remote); // UDP connect sends nothing: it only picks the route
        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }

    private sealed class UdpLink : IRegistrarLink
    {
        private readonly UdpSipListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public UdpLink(UdpSipListener listener, IPEndPoint remote)
        {
            _listener = listener;
            Remote = remote;
            _loop = Task.Run(() => listener.RunAsync(_stop.Token));
        }

        public SipTransport Transport => SipTransport.Udp;

        public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

        public IPEndPoint Remote { get; }

        public Task Closed { get; } = new TaskCompletionSource().Task;

        public void Send(ReadOnlyMemory<byte> message) => _listener.Send(message, Remote);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            _listener.Dispose();
            await _loop.ConfigureAwait(false);
            _stop.Dispose();
        }
    }

    private sealed class TcpLink : IRegistrarLink
    {
        private readonly TcpSipConnection _connection;

        public TcpLink(TcpSipConnection connection) => _connection = connection;

        public SipTransport Transport => _connection.Transport;

        public IPEndPoint LocalEndPoint => _connection.LocalEndPoint;

        public IPEndPoint Remote => _connection.Remote;

        public Task Closed => _connection.Closed;

        public void Send(ReadOnlyMemory<byte> message) => _connection.Send(message, Remote);

        public async ValueTask DisposeAsync()
        {
            _connection.Close();
            await Closed.ConfigureAwait(false);
        }
    }
}
