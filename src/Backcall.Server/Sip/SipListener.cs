using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Sip;

/// <summary>
/// The server's SIP listener as a hosted service: binds the configured endpoints at start-up (a bad
/// endpoint or a port in use stops the server with the reason), and tells where it listens.
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
        var errors = options.Value.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SipOptions.SectionName, typeof(SipOptions), errors);
        }

        _server = new SipServer(options.Value, handler, time, loggers, meters);
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        var logger = loggers.CreateLogger<SipListener>();
        foreach (var endpoint in _server.BoundEndpoints)
        {
            var transport = endpoint.Transport.ToString().ToLowerInvariant();
            Console.WriteLine($"backcall: sip {transport} listening on {endpoint.EndPoint}");
            SipBridgeLog.Listening(logger, transport, endpoint.EndPoint.ToString());
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
