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
    System.Diagnostics.Metrics.IMeterFactory meters) : IHostedService, IAsyncDisposable
{
    private SipServer? _server;

    /// <summary>The bound endpoints (real ports when 0 was configured); empty before start.</summary>
    public IReadOnlyList<SipEndpoint> Endpoints => _server?.BoundEndpoints ?? [];

    /// <summary>Live counters of the SIP layer, for the console and metrics.</summary>
    public SipServerCounters? Counters => _server?.Counters;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new SipServer(options.Value, handler, time, loggers, meters);
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        foreach (var endpoint in _server.BoundEndpoints)
        {
            // The ready line scripts and tests wait for, as for HTTP; the log line is the SIP server's own.
            var transport = endpoint.Transport.ToString().ToLowerInvariant();
            Console.WriteLine($"backcall: sip {transport} listening on {endpoint.EndPoint}");
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
