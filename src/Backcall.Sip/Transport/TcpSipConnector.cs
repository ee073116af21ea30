using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Processing;
using Backcall.Sip.Tls;
using Backcall.Sip.Trunks;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Transport;

/// <summary>
/// Outgoing TCP and TLS connections of one server, one per transport and remote endpoint, reused while open.
/// What arrives on them is processed like anything on an accepted connection (a request over a registration,
/// the ACK for a response). Used to answer on a new connection once the request's has closed (RFC 3261
/// §18.2.2), and by the client side (registrations) to reach a peer. Each holds one of the server's connection
/// slots (as a trunk's: we open connections only to trunks and registrars), so <c>Sip:MaxTcpConnections</c> bounds
/// them together with the accepted ones.
/// </summary>
internal sealed class TcpSipConnector(
    SipMessageProcessor processor,
    TcpConnectionSettings settings,
    TcpConnectionSlots slots,
    TlsTrust trust,
    ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(SipTransport, IPEndPoint), Lazy<Task<TcpSipConnection>>> _open = new();
    private readonly ConcurrentDictionary<TcpSipConnection, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger = logger;

    /// <summary>
    /// The open connection to <paramref name="remote"/>, or a new one: connected, and for TLS with the peer's
    /// certificate checked against <paramref name="serverName"/> (a host name, or the address when null).
    /// </summary>
    /// <exception cref="SocketException">The peer could not be reached.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The TLS peer is not
    /// trusted.</exception>
    public Task<TcpSipConnection> ConnectAsync(
        SipTransport transport,
        IPEndPoint remote,
        string? serverName,
        CancellationToken cancellationToken = default)
    {
        if (!SipEndpoint.IsReliable(transport))
        {
            throw new ArgumentException("Only TCP and TLS open connections.", nameof(transport));
        }

        var key = (transport, remote);
        var lazy = _open.GetOrAdd(
            key,
            k => new Lazy<Task<TcpSipConnection>>(() => OpenAsync(k.Item1, k.Item2, serverName)));
        var task = lazy.Value;
        _ = task.ContinueWith(
            t => _open.TryRemove(new KeyValuePair<(SipTransport, IPEndPoint), Lazy<Task<TcpSipConnection>>>(key, lazy)),
            CancellationToken.None,
            TaskContinuationOptions.NotOnRanToCompletion,
            TaskScheduler.Default);
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// A new connection to <paramref name="remote"/> that is never shared or reused by <see cref="ConnectAsync"/>:
    /// a registration's own, whose address the registrar binds and whose closing is the registration's alone.
    /// A TLS peer is judged by <paramref name="tlsTrust"/> when given (a registration's own CA file).
    /// </summary>
    /// <exception cref="SocketException">The peer could not be reached.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The TLS peer is not
    /// trusted.</exception>
    public Task<TcpSipConnection> ConnectOwnAsync(
        SipTransport transport,
        IPEndPoint remote,
        string? serverName,
        TlsTrust? tlsTrust = null,
        CancellationToken cancellationToken = default)
    {
        if (!SipEndpoint.IsReliable(transport))
        {
            throw new ArgumentException("Only TCP and TLS open connections.", nameof(transport));
        }

        return OpenAsync(transport, remote, serverName, tlsTrust).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends over the connection to <paramref name="remote"/>, opening it first if needed; failures are logged.
    /// </summary>
    public void Send(SipTransport transport, IPEndPoint remote, string sentByHost, ReadOnlyMemory<byte> message)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _ = SendAsync(transport, remote, sentByHost, message);
    }

    private async Task SendAsync(
        SipTransport transport,
        IPEndPoint remote,
        string sentByHost,
        ReadOnlyMemory<byte> message)
    {
        try
        {
            var connection = await ConnectAsync(transport, remote, sentByHost.Trim('[', ']')).ConfigureAwait(false);
            connection.Send(message, remote);
        }
        catch (Exception ex)
            when (ex
                    is SocketException
                        or IOException
                        or OperationCanceledException
                        or ObjectDisposedException
                        or System.Security.Authentication.AuthenticationException)
        {
            SipLog.ReconnectFailed(_logger, SipEndpoint.NameOf(transport), remote, ex.Message);
        }
    }

    private async Task<TcpSipConnection> OpenAsync(
        SipTransport transport,
        IPEndPoint remote,
        string? serverName,
        TlsTrust? tlsTrust = null)
    {
        var source = SourceKey.Of(remote.Address);
        if (slots.TryTake(source, trusted: true) != TcpConnectionSlots.Refusal.None)
        {
            throw new IOException($"no TCP connection slot free for {remote} (Sip:MaxTcpConnections)");
        }

        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var deadline = new CancellationTokenSource(settings.MessageTimeout, settings.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _stopping.Token);
            await socket.ConnectAsync(remote, linked.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (transport == SipTransport.Tls)
            {
                var host = serverName ?? remote.Address.ToString();
                stream = await (tlsTrust ?? trust)
                    .AuthenticateAsClientAsync(stream, host, linked.Token)
                    .ConfigureAwait(false);
            }

            var connection = new TcpSipConnection(
                socket,
                transport,
                processor,
                settings,
                _logger,
                established: stream,
                reconnect: this);
            _running[connection] = RunAsync(connection, (transport, remote), source);
            return connection;
        }
        catch
        {
            socket.Dispose();
            slots.Release(source, trusted: true);
            throw;
        }
    }

    private async Task RunAsync(TcpSipConnection connection, (SipTransport, IPEndPoint) key, SourceKey source)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            if (_open.TryGetValue(key, out var lazy)
                && lazy.IsValueCreated
                && lazy.Value.IsCompletedSuccessfully
                && lazy.Value.Result == connection)
            {
                _open.TryRemove(new KeyValuePair<(SipTransport, IPEndPoint), Lazy<Task<TcpSipConnection>>>(key, lazy));
            }

            _running.TryRemove(connection, out _);
            slots.Release(source, trusted: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var connection in _running.Keys)
        {
            connection.Close();
        }

        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
