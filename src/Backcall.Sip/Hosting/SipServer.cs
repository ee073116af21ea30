using System.Diagnostics.Metrics;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Dns;
using Backcall.Sip.Processing;
using Backcall.Sip.Registration;
using Backcall.Sip.Tls;
using Backcall.Sip.Transactions;
using Backcall.Sip.Transport;
using Backcall.Sip.Trunks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backcall.Sip;

/// <summary>
/// A SIP user-agent server that only rejects: it listens on the configured UDP/TCP/TLS endpoints, accepts
/// requests from configured trunks, asks <see cref="IInviteHandler"/> who called whom for each INVITE and
/// answers with a final 4xx-6xx (never 2xx), running RFC 3261 server transactions on
/// <see cref="TimeProvider"/> timers. Start with <see cref="StartAsync"/>, stop with <see cref="StopAsync"/>
/// or by disposing.
/// </summary>
public sealed class SipServer : IAsyncDisposable
{
    /// <summary>Name of the <see cref="Meter"/> the counters are published on.</summary>
    public const string MeterName = "Backcall.Sip";

    private readonly SipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DueTimeScheduler _scheduler;
    private readonly SipMetrics _metrics;
    private readonly TransactionContext _context;
    private readonly TrunkTable _trunks;
    private readonly TcpConnectionSettings _tcp;
    private readonly TcpConnectionSlots _slots;
    private readonly TlsCertificateSource? _certificates;
    private readonly TcpSipConnector _connector;
    private readonly List<IDisposable> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly HostSourceWatcher _hostSources;
    private readonly RegistrarLinks _registrarLinks;
    private CancellationTokenSource? _stopping;
    private int _state; // 0 new, 1 started, 2 stopped

    /// <param name="options">Validated on construction.</param>
    /// <param name="handler">Decides the rejection for each INVITE.</param>
    /// <param name="timeProvider">Clock for all protocol timers; defaults to the system clock.</param>
    /// <param name="loggerFactory">Defaults to no logging.</param>
    /// <param name="meterFactory">Creates the <c>Backcall.Sip</c> meter; null creates a standalone one.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SipServer(
        SipOptions options,
        IInviteHandler handler,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid SIP options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Backcall.Sip");
        ConfiguredEndpoints = SipEndpoint.ParseList(options.Endpoints);
        _trunks = TrunkTable.FromOptions(options);
        _scheduler = new DueTimeScheduler(_time);
        TransactionTable? table = null;
        _metrics = new SipMetrics(meterFactory, () => table?.Count ?? 0);
        _context = new TransactionContext(
            options,
            _scheduler,
            _time,
            new ResponseBuilder(options.ServerHeader, new ToTagGenerator()),
            _metrics,
            _logger);
        table = _context.Table;
        Processor = new SipMessageProcessor(options, _trunks, handler, _context);
        _tcp = TcpConnectionSettings.From(options, _time);
        _slots = new TcpConnectionSlots(
            options.MaxTcpConnections,
            options.TcpConnectionsReservedForTrunks,
            options.MaxTcpConnectionsPerSource);
        _certificates = ConfiguredEndpoints.Any(e => e.Transport == SipTransport.Tls)
            ? TlsCertificateSource.Load(options.Tls, _logger)
            : null;
        var trust = TlsTrust.FromCaFile(options.Tls.CaFile);
        _connector = new TcpSipConnector(Processor, _tcp, _slots, trust, _logger);
        var dns = new SipDnsResolver(SipDnsResolver.ParseServers(options.DnsServers));
        _hostSources = new HostSourceWatcher(dns, _time, _logger);
        _hostSources.Changed += () => _trunks.UpdateHostSources(_hostSources.Addresses);
        _registrarLinks = new RegistrarLinks(Processor, options, _tcp, _slots, trust, _logger);
        Processor.Registrations = RegistrationSet.FromOptions(
            options,
            dns,
            _hostSources,
            _registrarLinks,
            _time,
            _logger);
        foreach (var registration in Processor.Registrations.All)
        {
            registration.Changed += s => RegistrationChanged?.Invoke(s);
        }

        _metrics.ObserveRegistrations(() => Registrations);
    }

    /// <summary>
    /// Raised whenever a registration's state changes (on the registration's task; keep handlers short).
    /// </summary>
    public event Action<RegistrationStatus>? RegistrationChanged;

    /// <summary>The state of each configured registration (<c>Sip:Registrations</c>), in configuration order.</summary>
    public IReadOnlyList<RegistrationStatus> Registrations =>
        Processor.Registrations.All.Select(r => r.Status).ToArray();

    /// <summary>Endpoints from <see cref="SipOptions.Endpoints"/>, as configured (port 0 stays 0).</summary>
    public IReadOnlyList<SipEndpoint> ConfiguredEndpoints { get; }

    /// <summary>Endpoints actually bound after <see cref="StartAsync"/> (port 0 replaced by the real port).</summary>
    public IReadOnlyList<SipEndpoint> BoundEndpoints { get; private set; } = [];

    /// <summary>Trunks in effect (the default <c>local</c> trunk when none is configured).</summary>
    public IReadOnlyList<SipTrunk> Trunks => _trunks.Trunks;

    /// <summary>Current counter values (also published on the <see cref="MeterName"/> meter).</summary>
    public SipServerCounters Counters => _metrics.Snapshot();

    /// <summary>Server transactions currently alive.</summary>
    public int ActiveTransactions => _context.Table.Count;

    /// <summary>Of those, the INVITE transactions whose ACK came, absorbing retransmissions until Timer I.</summary>
    internal int ConfirmedInvites => _context.Table.ConfirmedCount;

    /// <summary>The message pipeline, exposed to tests that feed it without sockets.</summary>
    internal SipMessageProcessor Processor { get; }

    /// <summary>
    /// Opens TCP/TLS connections whose traffic this server processes (what arrives on them is handled as on an
    /// accepted connection); TLS peers are checked against <see cref="SipTlsOptions.CaFile"/> or the system store.
    /// </summary>
    internal TcpSipConnector Connector => _connector;

    /// <summary>TCP/TLS connections open now, accepted or opened by us (their read loop has not ended).</summary>
    internal int TcpConnections => _slots.Count;

    /// <summary>Binds every endpoint and starts receiving. If any bind fails nothing stays bound.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">An endpoint could not be bound (e.g. port in
    /// use).</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("A SipServer can be started once.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var bound = new List<SipEndpoint>();
        var starters = new List<Func<CancellationToken, Task>>();
        try
        {
            foreach (var endpoint in ConfiguredEndpoints)
            {
                if (endpoint.Transport == SipTransport.Udp)
                {
                    var udp = new UdpSipListener(endpoint, Processor, _options.MaxMessageSize, _logger);
                    _sockets.Add(udp);
                    bound.Add(udp.Bound);
                    starters.Add(udp.RunAsync);
                }
                else
                {
                    var certificates = endpoint.Transport == SipTransport.Tls ? _certificates : null;
                    var tcp = new TcpSipListener(
                        endpoint,
                        Processor,
                        _tcp,
                        _slots,
                        _options.MaxTcpConnections,
                        certificates,
                        _connector,
                        _logger);
                    _sockets.Add(tcp);
                    bound.Add(tcp.Bound);
                    starters.Add(tcp.RunAsync);
                }
            }
        }
        catch
        {
            // Nothing runs: mark the server stopped so that Stop and Dispose after a failed start are no-ops.
            DisposeSockets();
            Volatile.Write(ref _state, 2);
            throw;
        }

        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        foreach (var start in starters)
        {
            _loops.Add(Task.Run(() => start(token), CancellationToken.None));
        }

        BoundEndpoints = bound;
        foreach (var endpoint in bound)
        {
            SipLog.Listening(_logger, endpoint);
        }

        var hostNames = _trunks
            .HostSources.Concat(Processor.Registrations.All.SelectMany(r => r.HostSources))
            .ToArray();
        _loops.Add(Task.Run(() => _hostSources.RunAsync(hostNames, token), CancellationToken.None));
        Processor.Registrations.Start(token);

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops listening, closes connections and aborts live transactions (pending decisions are cancelled).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }

        await _stopping!.CancelAsync().ConfigureAwait(false);
        // Expires: 0 first
        await Processor.Registrations.StoppedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        DisposeSockets();
        await _connector.DisposeAsync().ConfigureAwait(false);
        await _registrarLinks.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Processor.AbortAll();
            _stopping.Dispose();
            SipLog.Stopped(_logger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _state, 2);
        Processor.AbortAll();
        _scheduler.Dispose();
        _metrics.Dispose();
    }

    private void DisposeSockets()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
    }
}
