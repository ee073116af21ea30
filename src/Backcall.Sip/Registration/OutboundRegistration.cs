using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Backcall.Sip.Client;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Dns;
using Backcall.Sip.Message;
using Backcall.Sip.Parsing;
using Backcall.Sip.Trunks;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Registration;

/// <summary>
/// One account kept registered (RFC 3261 §10): REGISTER with Digest answers, refresh at half the granted
/// time with the same Call-ID and a rising CSeq, a retry interval after failures (longer after 403 or
/// rejected credentials), CRLF keep-alives on the socket, and Expires: 0 on shutdown. Every timer runs on
/// the <see cref="TimeProvider"/>. Its trunk receives the calls whose Request-URI carries our line token.
/// </summary>
internal sealed class OutboundRegistration
{
    private static readonly byte[] KeepAlive = "\r\n\r\n"u8.ToArray();
    private static readonly Task Never = new TaskCompletionSource().Task;

    private readonly RegistrationOptions _options;
    private readonly RegistrarAddress _registrar;
    private readonly DigestCredentials _credentials;
    private readonly RegisterRequest _requests;
    private readonly Func<CancellationToken, Task<DnsAnswer<IPEndPoint>>> _resolve;
    private readonly Func<SipTransport, IPEndPoint, CancellationToken, Task<IRegistrarLink>> _connect;
    private readonly SourceList _sources;
    private readonly Func<string, IReadOnlyList<IPAddress>> _hostAddresses;
    private readonly TimeProvider _time;
    private readonly TimeSpan _t1;
    private readonly TimeSpan _t2;
    private readonly ILogger _logger;
    private Pending? _pending;
    private IRegistrarLink? _link;
    private IPEndPoint? _publicContact; // where the registrar saw us (RFC 3581), when not our socket's address
    private IPEndPoint? _registeredContact; // the Contact the registrar last accepted on this link
    private IReadOnlyList<IPEndPoint> _targets = [];
    private long _targetsExpire;
    private int _targetIndex;
    private long _cseq;
    private RegistrationStatus _status;
    private (RegistrationState, int?, string?) _logged;

    public OutboundRegistration(
        RegistrationOptions options,
        string password,
        Func<CancellationToken, Task<DnsAnswer<IPEndPoint>>> resolve,
        Func<SipTransport, IPEndPoint, CancellationToken, Task<IRegistrarLink>> connect,
        Func<string, IReadOnlyList<IPAddress>> hostAddresses,
        TimeProvider time,
        SipOptions sip,
        ILogger logger)
    {
        _options = options;
        _registrar =
            RegistrarAddress.TryParse(options.Registrar, options.Transport, out var error)
            ?? throw new ArgumentException(error, nameof(options));
        _credentials = new DigestCredentials(
            options.AuthUsername ?? options.Username,
            password,
            string.IsNullOrWhiteSpace(options.Realm) ? null : options.Realm);
        LineToken = SipTokens.New(16);
        _requests = new RegisterRequest(options, _registrar, LineToken);
        _resolve = resolve;
        _connect = connect;
        _sources = SourceList.Parse(options.Sources);
        _hostAddresses = hostAddresses;
        _time = time;
        _t1 = sip.T1;
        _t2 = sip.T2;
        _logger = logger;
        Trunk = new SipTrunk(
            options.Name,
            _sources.Networks,
            options.Region.Trim().ToUpperInvariant(),
            options.TrustPai,
            hostSources: _sources.HostNames,
            calledNumber: options.Number);
        _status = new RegistrationStatus
        {
            Name = options.Name,
            Registrar = options.Registrar,
            Transport = _registrar.Transport.Name,
            Username = options.Username,
            Number = options.Number,
        };
    }

    /// <summary>The secret in our Contact's <c>line</c> parameter; calls must carry it back.</summary>
    public string LineToken { get; }

    /// <summary>
    /// The trunk the calls over this registration are judged by (the number fixed to
    /// <see cref="RegistrationOptions.Number"/>).
    /// </summary>
    public SipTrunk Trunk { get; }

    public string CallId => _requests.CallId;

    public RegistrationStatus Status => Volatile.Read(ref _status);

    /// <summary>Raised after every change of <see cref="Status"/> (on the registration's own task).</summary>
    public event Action<RegistrationStatus>? Changed;

    /// <summary>Host names among the registration's Sources (for the watcher to resolve).</summary>
    public IReadOnlyList<string> HostSources => _sources.HostNames;

    /// <summary>
    /// Whether a packet from <paramref name="address"/> may be this provider's: one of the registrar's resolved
    /// addresses, or a configured source.
    /// </summary>
    public bool IsSource(IPAddress address)
    {
        foreach (var target in Volatile.Read(ref _targets))
        {
            if (target.Address.Equals(address))
            {
                return true;
            }
        }

        foreach (var network in _sources.Networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        foreach (var name in _sources.HostNames)
        {
            if (_hostAddresses(name).Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A response from the network: completes the pending REGISTER it answers, if it came from the registrar.
    /// </summary>
    public void OnResponse(SipResponse response, IPAddress source)
    {
        var pending = Volatile.Read(ref _pending);
        if (pending is null || response.StatusCode < 200 || response.TopVia?.Branch != pending.Branch
            || response.CSeq is not { Method: SipMethods.Register } cseq || cseq.Number != pending.CSeq
            || !IsRegistrarAddress(source))
        {
            return;
        }

        pending.Response.TrySetResult(response);
    }

    /// <summary>
    /// Keeps the registration up until <paramref name="stopping"/>, then unregisters (bounded by
    /// <paramref name="unregisterTimeout"/>).
    /// </summary>
    public async Task RunAsync(TimeSpan unregisterTimeout, CancellationToken stopping)
    {
        using var keepAliveStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var keepAlive =
            _options.KeepAliveInterval > TimeSpan.Zero ? KeepAliveAsync(keepAliveStop.Token) : Task.CompletedTask;
        try
        {
            await MaintainAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            await keepAliveStop.CancelAsync().ConfigureAwait(false);
            await keepAlive.ConfigureAwait(false);
            await UnregisterAsync(unregisterTimeout).ConfigureAwait(false);
        }
    }

    private async Task MaintainAsync(CancellationToken stopping)
    {
        var expires = _options.Expires;
        while (!stopping.IsCancellationRequested)
        {
            RegisterOutcome outcome;
            var closed = Never;
            try
            {
                var link = await EnsureLinkAsync(stopping).ConfigureAwait(false);
                closed = link.Closed;
                outcome = await RegisterAsync(link, expires, stopping).ConfigureAwait(false);
                if (!outcome.Success && outcome.Status == 408)
                {
                    await DropLinkAsync(nextTarget: true).ConfigureAwait(false);
                    closed = Never;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // No route, refused, a DNS timeout, an untrusted TLS peer (or a bug): one failed attempt, never the
                // end.
                outcome = RegisterOutcome.Failed(0, ex is AuthenticationException
                    ? $"TLS handshake with {_registrar.Host} failed: {ex.InnerException?.Message ?? ex.Message}"
                    : ex.Message);
                await DropLinkAsync(nextTarget: true).ConfigureAwait(false);
                closed = Never;
            }

            // The timer exists before the new state is published, so whoever reacts to the state can move the clock.
            var (wait, status) = Next(outcome);
            var delay = Task.Delay(wait, _time, stopping);
            Publish(status);
            var first = await Task.WhenAny(delay, closed).ConfigureAwait(false);
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            if (first == closed)
            {
                // The connection broke (a registrar restart, say): register again at once on a new one.
                await DropLinkAsync(nextTarget: false).ConfigureAwait(false);
            }
        }
    }

    private async Task<IRegistrarLink> EnsureLinkAsync(CancellationToken cancellationToken)
    {
        if (_link is { Closed.IsCompleted: false } link && _time.GetTimestamp() < _targetsExpire)
        {
            return link;
        }

        if (_link is not null && _time.GetTimestamp() >= _targetsExpire && _link.Closed.IsCompleted == false)
        {
            // The DNS answer ran out: re-resolve, and keep the socket if the address in use is still listed.
            var current = _link.Remote;
            await ResolveAsync(cancellationToken).ConfigureAwait(false);
            var index = IndexOf(current);
            if (index >= 0)
            {
                _targetIndex = index;
                return _link;
            }

            await DropLinkAsync(nextTarget: false).ConfigureAwait(false);
        }

        if (_targets.Count == 0 || _time.GetTimestamp() >= _targetsExpire)
        {
            await ResolveAsync(cancellationToken).ConfigureAwait(false);
        }

        var target = _targets[_targetIndex % _targets.Count];
        var transport = _registrar.Transport == SipTransportName.Udp ? SipTransport.Udp
            : _registrar.Transport == SipTransportName.Tls ? SipTransport.Tls
            : SipTransport.Tcp;
        _link = await _connect(transport, target, cancellationToken).ConfigureAwait(false);
        _credentials.Reset();
        _publicContact = null; // a new socket: a new NAT binding, learnt from the next response
        _registeredContact = null;
        return _link;
    }

    private async Task ResolveAsync(CancellationToken cancellationToken)
    {
        var answer = await _resolve(cancellationToken).ConfigureAwait(false);
        if (answer.Values.Count == 0)
        {
            throw new SocketException(
                (int)SocketError.HostNotFound,
                $"cannot resolve {_registrar.Host}: {answer.Error ?? "no address"}");
        }

        Volatile.Write(ref _targets, answer.Values);
        _targetsExpire = _time.GetTimestamp() + (long)(answer.Ttl.TotalSeconds * _time.TimestampFrequency);
        _targetIndex = 0;
    }

    private int IndexOf(IPEndPoint endpoint)
    {
        for (var i = 0; i < _targets.Count; i++)
        {
            if (_targets[i].Equals(endpoint))
            {
                return i;
            }
        }

        return -1;
    }

    private async Task DropLinkAsync(bool nextTarget)
    {
        if (_link is { } link)
        {
            _link = null;
            await link.DisposeAsync().ConfigureAwait(false);
        }

        if (nextTarget)
        {
            _targetIndex++; // RFC 3263 §4.3: on failure, the next address in the list
        }
    }

    /// <summary>One REGISTER, with as many rounds as the challenges need (a stale nonce is no failure).</summary>
    private async Task<RegisterOutcome> RegisterAsync(
        IRegistrarLink link,
        int expires,
        CancellationToken cancellationToken)
    {
        var answeredChallenge = false;
        var moved = false;
        for (var round = 0; round < 5; round++)
        {
            var cseq = ++_cseq;
            var branch = "z9hG4bK" + SipTokens.New(10);
            var contact = _publicContact ?? link.LocalEndPoint;
            var stale = _registeredContact is { } registered && !registered.Equals(contact) ? registered : null;
            var authorization = _credentials.Authorize(SipMethods.Register, _registrar.RequestUri);
            var request = _requests.Build(link, contact, branch, cseq, expires, authorization, stale);
            var response = await TransactAsync(link, request, branch, cseq, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                return RegisterOutcome.Failed(408, $"no response from {link.Remote}");
            }

            var status = response.StatusCode;
            var seen = expires > 0 && !moved ? SeenAt(response) : null;
            if (seen is not null && !seen.Equals(contact))
            {
                // RFC 3581: the registrar saw another address (a NAT). Calls must go there: the next REGISTER (at once
                // after a 2xx, which bound the unreachable one) carries it, and removes the old binding. Once per
                // attempt, so a registrar that keeps reporting new addresses cannot make us loop.
                moved = true;
                _publicContact = seen;
                SipLog.RegistrationContactMoved(_logger, _options.Name, contact, seen);
            }

            if (status is >= 200 and < 300)
            {
                _registeredContact = expires > 0 ? contact : null;
                if (seen is not null && !seen.Equals(contact))
                {
                    continue;
                }

                return RegisterOutcome.Registered(Granted(response, expires, contact));
            }

            if (status is 401 or 407)
            {
                var challenges = response.GetHeaders(status == 401 ? "WWW-Authenticate" : "Proxy-Authenticate")
                    .Select(h => DigestChallenge.TryParse(h, isProxy: status == 407))
                    .OfType<DigestChallenge>()
                    .ToList();
                if (answeredChallenge && !challenges.Any(c => c.Stale))
                {
                    return RegisterOutcome.Failed(
                        status,
                        "credentials rejected (check the login and password)",
                        forbidden: true);
                }

                if (_credentials.Accept(challenges) is { } problem)
                {
                    return RegisterOutcome.Failed(status, problem, forbidden: true);
                }

                answeredChallenge = true;
                continue;
            }

            if (status == 423
                && int.TryParse(
                    response.GetHeader("Min-Expires"),
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var min)
                && min > expires)
            {
                expires = min; // RFC 3261 §10.2.8: ask again for at least Min-Expires
                continue;
            }

            return RegisterOutcome.Failed(status, response.ReasonPhrase, forbidden: status == 403);
        }

        return RegisterOutcome.Failed(500, "the registrar keeps challenging");
    }

    /// <summary>
    /// A non-INVITE client transaction (RFC 3261 §17.1.2): Timer E retransmits over UDP, Timer F gives up.
    /// </summary>
    private async Task<SipResponse?> TransactAsync(
        IRegistrarLink link,
        byte[] request,
        string branch,
        long cseq,
        CancellationToken cancellationToken)
    {
        var pending = new Pending(branch, cseq);
        Volatile.Write(ref _pending, pending);
        try
        {
            var started = _time.GetTimestamp();
            var timerF = _t1 * 64;
            var interval = _t1;
            while (true)
            {
                var remaining = timerF - _time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    return null;
                }

                // The timer is armed before the request leaves, so a fast answer or a moved clock finds it.
                var wait = link.IsReliable || interval > remaining ? remaining : interval;
                var answered = Task.WhenAny(pending.Response.Task, link.Closed)
                    .WaitAsync(wait, _time, cancellationToken);
                link.Send(request); // the first transmission, or a Timer E retransmission over UDP
                try
                {
                    await answered.ConfigureAwait(false);
                    return pending.Response.Task.IsCompletedSuccessfully ? pending.Response.Task.Result : null;
                }
                catch (TimeoutException) when (!link.IsReliable)
                {
                    interval = interval * 2 < _t2 ? interval * 2 : _t2;
                }
                catch (TimeoutException)
                {
                    return null;
                }
            }
        }
        finally
        {
            Interlocked.CompareExchange(ref _pending, null, pending);
        }
    }

    /// <summary>
    /// The address the registrar saw the request come from: the <c>received</c> and <c>rport</c> it added to our
    /// Via (RFC 3581 §4); null when it added not both.
    /// </summary>
    private static IPEndPoint? SeenAt(SipResponse response)
    {
        var via = response.TopVia;
        if (via?.Parameters.Get("received") is not { } received
            || via.Parameters.Get("rport") is not { } rport
            || !IPAddress.TryParse(received.Trim('[', ']'), out var address)
            || !int.TryParse(rport, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return null;
        }

        return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port);
    }

    /// <summary>
    /// The lifetime granted to our Contact (<paramref name="contact"/>, else any with our line token): its expires
    /// parameter, else the Expires header, else what we asked.
    /// </summary>
    private TimeSpan Granted(SipResponse response, int requested, IPEndPoint contact)
    {
        var parts = new List<string>();
        foreach (var value in response.GetHeaders(SipHeaderNames.Contact))
        {
            HeaderValueSplitter.Split(value, parts);
        }

        TimeSpan? sameLine = null;
        foreach (var part in parts)
        {
            if (NameAddressParser.TryParse(part, allowWildcard: false, out var bound, out _)
                && bound.Uri?.Parameters.Get("line") == LineToken
                && int.TryParse(
                    bound.Parameters.Get("expires"),
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out var seconds))
            {
                if (bound.Uri.Port == contact.Port
                    && IPAddress.TryParse(bound.Uri.Host.Trim('[', ']'), out var host)
                    && host.Equals(contact.Address))
                {
                    return TimeSpan.FromSeconds(seconds);
                }

                sameLine ??= TimeSpan.FromSeconds(seconds);
            }
        }

        if (sameLine is { } granted)
        {
            return granted;
        }

        return int.TryParse(
            response.GetHeader("Expires"),
            NumberStyles.None,
            CultureInfo.InvariantCulture,
            out var header)
            ? TimeSpan.FromSeconds(header)
            : TimeSpan.FromSeconds(requested);
    }

    /// <summary>The wait before the next attempt and the status after this one.</summary>
    private (TimeSpan Wait, RegistrationStatus Status) Next(RegisterOutcome outcome)
    {
        var now = _time.GetUtcNow();
        var previous = Status;
        TimeSpan wait;
        if (outcome.Success && outcome.Granted > TimeSpan.Zero)
        {
            // Refresh at half the granted time (at least a second): well before expiry, even after a retry.
            wait = outcome.Granted / 2 > TimeSpan.FromSeconds(1) ? outcome.Granted / 2 : TimeSpan.FromSeconds(1);
            return (wait, previous with
            {
                State = RegistrationState.Registered,
                RegisteredUntil = now + outcome.Granted,
                LastRegistered = now,
                LastStatus = null,
                LastReason = null,
                NextAttempt = now + wait,
                RegistrarAddress = LinkName(),
                ConsecutiveFailures = 0,
            });
        }

        var reason = outcome.Success ? "the registrar granted no time (Expires: 0)" : outcome.Reason;
        wait = outcome.Forbidden ? _options.ForbiddenRetryInterval : _options.RetryInterval;
        return (wait, previous with
        {
            State = RegistrationState.Failing,
            RegisteredUntil = null,
            LastStatus = outcome.Status,
            LastReason = reason,
            NextAttempt = now + wait,
            RegistrarAddress = LinkName(),
            ConsecutiveFailures = previous.ConsecutiveFailures + 1,
        });
    }

    private void Publish(RegistrationStatus status)
    {
        Volatile.Write(ref _status, status);
        var key = (status.State, status.LastStatus, status.LastReason);
        if (key != _logged)
        {
            // Once per change, not per attempt: a registrar that stays down is one line, not one per retry.
            _logged = key;
            switch (status.State)
            {
                case RegistrationState.Registered:
                    SipLog.Registered(
                        _logger,
                        status.Name,
                        status.Registrar,
                        status.RegistrarAddress ?? "?",
                        status.RegisteredUntil!.Value);
                    break;
                case RegistrationState.Failing:
                    SipLog.RegistrationFailing(
                        _logger,
                        status.Name,
                        status.Registrar,
                        status.LastStatus ?? 0,
                        status.LastReason ?? "",
                        status.NextAttempt!.Value);
                    break;
                case RegistrationState.Stopped:
                    SipLog.Unregistered(_logger, status.Name, status.Registrar);
                    break;
            }
        }

        Changed?.Invoke(status);
    }

    private string? LinkName() => _link is { } link ? $"{SipEndpoint.NameOf(link.Transport)}:{link.Remote}" : null;

    private async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.KeepAliveInterval, _time, cancellationToken).ConfigureAwait(false);
                _link?.Send(KeepAlive); // RFC 5626 §4.4.1: CRLF CRLF keeps the NAT binding and the connection alive
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task UnregisterAsync(TimeSpan timeout)
    {
        try
        {
            if (Status.State == RegistrationState.Registered && _link is { Closed.IsCompleted: false } link)
            {
                using var bound = new CancellationTokenSource(timeout, _time);
                await RegisterAsync(link, 0, bound.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
        {
            // The registrar did not answer in time (or cannot be reached): the binding expires on its own.
        }
        finally
        {
            await DropLinkAsync(nextTarget: false).ConfigureAwait(false);
            Publish(Status with { State = RegistrationState.Stopped, RegisteredUntil = null, NextAttempt = null });
        }
    }

    private bool IsRegistrarAddress(IPAddress source)
    {
        foreach (var target in Volatile.Read(ref _targets))
        {
            if (target.Address.Equals(source))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Pending(string branch, long cseq)
    {
        public string Branch { get; } = branch;

        public long CSeq { get; } = cseq;

        public TaskCompletionSource<SipResponse> Response { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
