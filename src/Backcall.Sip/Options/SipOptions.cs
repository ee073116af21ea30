namespace Backcall.Sip;

/// <summary>
/// Settings of the SIP server, bound from the <c>Sip</c> configuration section. Plain settable properties so
/// <c>IConfiguration.Bind</c> works; call <see cref="Validate"/> (the <see cref="SipServer"/> constructor does) to
/// get every problem at once.
/// </summary>
public sealed class SipOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Sip";

    /// <summary>
    /// Listening endpoints (<c>Sip:Endpoints</c>): comma-separated <c>transport:address[:port]</c> entries,
    /// transport <c>udp</c>, <c>tcp</c> or <c>tls</c> (needs <see cref="Tls"/> certificate files), IPv6 in
    /// brackets, port 0 for an ephemeral port, e.g. <c>udp:0.0.0.0:5060,tcp:0.0.0.0:5060,tls:0.0.0.0:5061</c>.
    /// See <see cref="SipEndpoint.ParseList"/>. The default, <c>[::]</c>, is dual-stack: one socket per
    /// transport serves IPv6 and IPv4 trunks.
    /// </summary>
    public string Endpoints { get; set; } = DefaultEndpoints;

    /// <summary>Every address, IPv6 and IPv4 (dual-stack sockets), port 5060, UDP and TCP.</summary>
    public const string DefaultEndpoints = "udp:[::]:5060,tcp:[::]:5060";

    /// <summary>
    /// Final status for INVITEs when the application does not choose one (<c>Sip:RejectCode</c>):
    /// 486 Busy Here (default), 603 Decline, 480 Temporarily Unavailable or 404 Not Found. Any 4xx-6xx except
    /// 401/407/487 is accepted; 2xx is impossible by design (the call must never be answered).
    /// </summary>
    public int RejectCode { get; set; } = 486;

    /// <summary>
    /// Requests from sources outside every trunk (<c>Sip:UntrustedPolicy</c>): Drop (default) or Forbidden.
    /// </summary>
    public SipUntrustedPolicy UntrustedPolicy { get; set; } = SipUntrustedPolicy.Drop;

    /// <summary>
    /// Trusted peers (<c>Sip:Trunks</c>). Empty means one trunk named <c>local</c> for 127.0.0.0/8 and ::1
    /// (the default is applied at runtime, not here, because configuration binding appends to lists).
    /// </summary>
    public List<TrunkOptions> Trunks { get; set; } = [];

    /// <summary>
    /// Accounts Backcall registers with at providers' registrars (<c>Sip:Registrations</c>); each is also a
    /// trunk for the calls delivered over its registration. See <see cref="RegistrationOptions"/>.
    /// </summary>
    public List<RegistrationOptions> Registrations { get; set; } = [];

    /// <summary>
    /// DNS servers for registrar and source host names (<c>Sip:DnsServers</c>): comma-separated
    /// <c>address[:port]</c>, e.g. <c>127.0.0.1:5353</c>; empty (default) uses the system's resolvers.
    /// </summary>
    public string? DnsServers { get; set; }

    /// <summary>RFC 3261 T1, the RTT estimate (default 500 ms). Timer G starts at T1, Timer H is 64·T1.</summary>
    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>RFC 3261 T2, the cap of Timer G (default 4 s).</summary>
    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>RFC 3261 T4, how long the network may keep a message (Timer I on UDP; default 5 s).</summary>
    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Send 100 Trying if the application has not decided within this delay (RFC 3261 §17.2.1 asks for
    /// 200 ms). Zero sends it immediately with every INVITE.
    /// </summary>
    public TimeSpan TryingDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Longest wait for <see cref="IInviteHandler"/>; after it the default <see cref="RejectCode"/> is sent.
    /// </summary>
    public TimeSpan DecisionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Largest accepted message in bytes (default 64 KiB); larger UDP datagrams are dropped, TCP connections closed.
    /// </summary>
    public int MaxMessageSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Per-source token bucket refill for sources outside every trunk, messages per second (0 disables it).
    /// It bounds the 403s under <see cref="SipUntrustedPolicy.Forbidden"/>; trunks are never limited by it
    /// (see <see cref="TrunkOptions.RateLimitPerSecond"/>). IPv6 sources are counted per /64.
    /// </summary>
    public double RateLimitPerSecond { get; set; } = 200;

    /// <summary>Per-source token bucket size: the burst a source may send at once.</summary>
    public int RateLimitBurst { get; set; } = 400;

    /// <summary>
    /// Most sources the rate limit remembers (default 65 536); past it the longest-quiet one is forgotten.
    /// </summary>
    public int RateLimitMaxSources { get; set; } = 65_536;

    /// <summary>Most concurrent server transactions; beyond it new requests get 503 (default 100 000).</summary>
    public int MaxTransactions { get; set; } = 100_000;

    /// <summary>Most concurrent inbound TCP and TLS connections, all endpoints together (default 1024).</summary>
    public int MaxTcpConnections { get; set; } = 1024;

    /// <summary>
    /// Connection slots only trunks may use (default 256): sources outside every trunk get at most
    /// <see cref="MaxTcpConnections"/> minus this, so they can never lock a trunk out.
    /// </summary>
    public int TcpConnectionsReservedForTrunks { get; set; } = 256;

    /// <summary>
    /// Most concurrent connections from one source outside every trunk (IPv4 address or IPv6 /64; default 8).
    /// </summary>
    public int MaxTcpConnectionsPerSource { get; set; } = 8;

    /// <summary>
    /// Longest a TCP/TLS connection may take to deliver a message once its first byte came (default 10 s),
    /// and, for a source outside every trunk, its first message after connecting (TLS handshake included).
    /// A slower sender is disconnected.
    /// </summary>
    public TimeSpan TcpMessageTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Close a TCP connection after this long without a byte (default 5 minutes).</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Value of the Server header in our responses.</summary>
    public string ServerHeader { get; set; } = "Backcall";

    /// <summary>Certificate for <c>tls:</c> endpoints and trust for outgoing TLS (<c>Sip:Tls</c>).</summary>
    public SipTlsOptions Tls { get; set; } = new();

    /// <summary>Returns every configuration problem; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        try
        {
            if (SipEndpoint.ParseList(Endpoints).Count == 0)
            {
                errors.Add("Sip:Endpoints lists no endpoint.");
            }
        }
        catch (FormatException ex)
        {
            errors.Add(ex.Message);
        }

        if (!SipRejectDecision.IsAllowedRejectCode(RejectCode))
        {
            errors.Add($"Sip:RejectCode {RejectCode} is not a usable final rejection (4xx-6xx except 401, 407, 487).");
        }

        if (T1 <= TimeSpan.Zero || T2 < T1 || T4 <= TimeSpan.Zero)
        {
            errors.Add("Sip timers need T1 > 0, T2 >= T1 and T4 > 0.");
        }

        if (TryingDelay < TimeSpan.Zero
            || DecisionTimeout <= TimeSpan.Zero
            || TcpIdleTimeout <= TimeSpan.Zero
            || TcpMessageTimeout <= TimeSpan.Zero)
        {
            errors.Add(
                "Sip:TryingDelay must be >= 0; Sip:DecisionTimeout, "
                    + "Sip:TcpIdleTimeout and Sip:TcpMessageTimeout must be > 0.");
        }

        if (MaxMessageSize is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add("Sip:MaxMessageSize must be between 1 KiB and 16 MiB.");
        }

        if (RateLimitPerSecond < 0 || (RateLimitPerSecond > 0 && RateLimitBurst < 1))
        {
            errors.Add("Sip:RateLimitPerSecond must be >= 0 and Sip:RateLimitBurst >= 1 when limiting.");
        }

        if (RateLimitMaxSources < 1)
        {
            errors.Add("Sip:RateLimitMaxSources must be positive.");
        }

        if (MaxTransactions < 1 || MaxTcpConnections < 1 || MaxTcpConnectionsPerSource < 1)
        {
            errors.Add(
                "Sip:MaxTransactions, Sip:MaxTcpConnections and Sip:MaxTcpConnectionsPerSource must be positive.");
        }

        if (TcpConnectionsReservedForTrunks < 0 || TcpConnectionsReservedForTrunks >= MaxTcpConnections)
        {
            errors.Add(
                "Sip:TcpConnectionsReservedForTrunks must be between 0 "
                    + $"and Sip:MaxTcpConnections - 1 ({MaxTcpConnections - 1}).");
        }

        errors.AddRange(Tls.Validate(EndpointsNeedTls()));

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Trunks.Count; i++)
        {
            var trunk = Trunks[i];
            if (string.IsNullOrWhiteSpace(trunk.Name))
            {
                errors.Add($"Sip:Trunks:{i}:Name is empty.");
            }
            else if (!names.Add(trunk.Name))
            {
                errors.Add($"Sip:Trunks:{i}:Name '{trunk.Name}' is used twice.");
            }

            if (string.IsNullOrWhiteSpace(trunk.Region))
            {
                errors.Add($"Sip:Trunks:{i}:Region is empty.");
            }

            try
            {
                if (Backcall.Sip.Trunks.SourceList.Parse(trunk.Sources).Count == 0)
                {
                    errors.Add($"Sip:Trunks:{i}:Sources lists no address.");
                }
            }
            catch (FormatException ex)
            {
                errors.Add($"Sip:Trunks:{i}:Sources: {ex.Message}");
            }

            if (trunk.RateLimitPerSecond < 0 || trunk.RateLimitBurst < 0)
            {
                errors.Add(
                    $"Sip:Trunks:{i}:RateLimitPerSecond and RateLimitBurst "
                        + "must be >= 0 (0: no limit / one second's worth).");
            }

            if (trunk.ForwardedSourceHeader is { } header && !Parsing.SipGrammar.IsToken(header.Trim()))
            {
                errors.Add(
                    $"Sip:Trunks:{i}:ForwardedSourceHeader '{header}' is not a header name (e.g. X-Backcall-Source).");
            }
        }

        Registration.RegistrationValidation.AddErrors(this, errors);

        // A proxy's calls are judged by the trunk of their original source; with no such trunk, none would pass.
        if (Trunks.Count > 0 && Trunks.All(t => !string.IsNullOrWhiteSpace(t.ForwardedSourceHeader)))
        {
            errors.Add(
                "Sip:Trunks: every trunk has ForwardedSourceHeader; list the carriers behind the proxy as trunks too "
                    + "(their original source addresses).");
        }

        return errors;
    }

    private bool EndpointsNeedTls()
    {
        try
        {
            return SipEndpoint.ParseList(Endpoints).Any(e => e.Transport == SipTransport.Tls);
        }
        catch (FormatException)
        {
            return false; // reported above
        }
    }
}
