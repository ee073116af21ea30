using System.Net.Sockets;
using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Sip;

/// <summary>
/// The server's SIP listener as a hosted service: binds the configured endpoints at start-up (a port in
/// use stops the server with the reason), and tells where it listens. Its options were checked before
/// (<see cref="SipOptionsValidator"/>).
/// </summary>
public sealed class SipListener(
    IOptions<SipOptions> options,
    IInviteHandler handler,
    TimeProvider time,
    ILoggerFactory loggers,
    System.Diagnostics.Metrics.IMeterFactory meters,
    RegistrationStateFile stateFile) : IHostedService, IAsyncDisposable
{
    private SipServer? _server;

    /// <summary>The trunks and registrations with their live state (configured state before start).</summary>
    public TrunkOverview Overview => TrunkOverview.From(options.Value, _server?.Registrations ?? []);

    /// <summary>The bound endpoints (real ports when 0 was configured); empty before start.</summary>
    public IReadOnlyList<SipEndpoint> Endpoints => _server?.BoundEndpoints ?? [];

    /// <summary>Live counters of the SIP layer, for the console and metrics.</summary>
    public SipServerCounters? Counters => _server?.Counters;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var sip = options.Value;
        if (!Socket.OSSupportsIPv6 && sip.Endpoints.Contains("[::]", StringComparison.Ordinal))
        {
            // A machine without IPv6: the dual-stack default (or any [::]) falls back to IPv4's "every address".
            sip.Endpoints = sip.Endpoints.Replace("[::]", "0.0.0.0", StringComparison.Ordinal);
            Console.WriteLine("backcall: no IPv6 on this machine; SIP listens on IPv4 only");
        }

        _server = new SipServer(sip, handler, time, loggers, meters);
        if (_server.Registrations.Count > 0)
        {
            var server = _server;
            stateFile.Write(server.Registrations);
            server.RegistrationChanged += _ => stateFile.Write(server.Registrations);
        }

        try
        {
            await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new IOException(
                $"cannot listen for SIP on {BusyEndpoints(_server.ConfiguredEndpoints)}: {ex.Message} "
                + "(another program has it? choose others with --sip or Sip:Endpoints)",
                ex);
        }

        foreach (var endpoint in _server.BoundEndpoints)
        {
            // The ready line scripts and tests wait for, as for HTTP; the log line is the SIP server's own.
            var transport = endpoint.Transport.ToString().ToLowerInvariant();
            Console.WriteLine($"backcall: sip {transport} listening on {endpoint.EndPoint}");
        }
    }

    /// <summary>After a failed start (its sockets closed): the configured endpoints that cannot be bound now.</summary>
    private static string BusyEndpoints(IReadOnlyList<SipEndpoint> endpoints)
    {
        var busy = endpoints.Where(e => !CanBind(e)).ToList();
        return string.Join(", ", (busy.Count > 0 ? busy : endpoints).Select(e => e.ToString()));
    }

    private static bool CanBind(SipEndpoint endpoint)
    {
        var tcp = endpoint.Transport != SipTransport.Udp;
        try
        {
            using var socket = new Socket(
                endpoint.EndPoint.AddressFamily,
                tcp ? SocketType.Stream : SocketType.Dgram,
                tcp ? ProtocolType.Tcp : ProtocolType.Udp);
            socket.Bind(endpoint.EndPoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
