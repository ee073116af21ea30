using System.Net;
using Backcall.Sip.CallerId;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Message;
using Backcall.Sip.Parsing;
using Backcall.Sip.Registration;
using Backcall.Sip.Transactions;
using Backcall.Sip.Trunks;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Processing;

/// <summary>
/// Everything between "bytes arrived" and "a transaction owns it": rate limit, trunk ACL, parsing,
/// malformed-message handling and method dispatch. Transports call <see cref="Process"/> synchronously on
/// their receive loop; it never blocks (the application is called asynchronously by the INVITE
/// transaction) and never throws.
/// </summary>
internal sealed class SipMessageProcessor
{
    /// <summary>Not a status: <see cref="RejectUnresolved"/> asks for no answer at all.</summary>
    private const int DropSilently = 0;

    private readonly SipOptions _options;
    private readonly TrunkTable _trunks;
    private readonly SourceRateLimiter _rateLimiter;
    private readonly TrunkRateLimiter _trunkLimits;
    private readonly IInviteHandler _handler;
    private readonly TransactionContext _context;
    private readonly ILogger _logger;

    public SipMessageProcessor(
        SipOptions options,
        TrunkTable trunks,
        IInviteHandler handler,
        TransactionContext context)
    {
        Registrations = RegistrationSet.Empty;
        _options = options;
        _trunks = trunks;
        _handler = handler;
        _context = context;
        _logger = context.Logger;
        _rateLimiter = new SourceRateLimiter(
            options.RateLimitPerSecond,
            options.RateLimitBurst,
            options.RateLimitMaxSources,
            context.Time);
        _trunkLimits = new TrunkRateLimiter(trunks.Trunks, context.Time);
    }

    /// <summary>
    /// Outbound registrations: their responses, and the calls over them (set once, before any socket runs).
    /// </summary>
    public RegistrationSet Registrations { get; set; }

    private SipMetrics Metrics => _context.Metrics;

    private TransactionTable Table => _context.Table;

    public void Process(SipChannel channel, IPEndPoint remote, ReadOnlySpan<byte> data)
    {
        try
        {
            ProcessCore(channel, remote, data);
        }
        catch (Exception ex)
        {
            // A bug must cost one message, never the listener.
            SipLog.Malformed(_logger, remote, "InternalError", ex.Message, "dropped");
        }
    }

    private void ProcessCore(SipChannel channel, IPEndPoint remote, ReadOnlySpan<byte> data)
    {
        Metrics.Received(channel.Transport);
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        var trunk = _trunks.Find(address);
        if (trunk is null && _options.UntrustedPolicy == SipUntrustedPolicy.Drop && !Registrations.IsSource(address))
        {
            // Dropped before parsing: unknown sources cost as little as possible and learn nothing.
            Metrics.Untrusted();
            SipLog.Untrusted(_logger, remote, "dropped");
            return;
        }

        // Only strangers are rate-limited here (it bounds the 403s we send them); a trunk is never silenced,
        // it may only have a limit of its own, answered with 503 (see Dispatch).
        if (trunk is null && !_rateLimiter.TryAcquire(address))
        {
            Metrics.RateLimited();
            SipLog.RateLimited(_logger, remote);
            return;
        }

        // The ACK of our 486 and a retransmitted INVITE only need their transaction: found without the full parse.
        if (trunk is not null && data.Length <= _options.MaxMessageSize && TransactionShortcut.TryHandle(data, Table))
        {
            return;
        }

        var result = SipMessageParser.Parse(data, _options.MaxMessageSize);
        if (!result.IsValid)
        {
            Metrics.ParseError();
            HandleMalformed(channel, remote, result);
            return;
        }

        if (result.Message is not SipRequest request)
        {
            // Our only client transactions are REGISTERs; other responses are strays and ignored.
            Registrations.OnResponse((SipResponse)result.Message!, address);
            return;
        }

        // A call over a registration: its line token, from its provider. Else the trunk of the source address.
        trunk = Registrations.Match(request, address) ?? trunk;
        if (trunk is null)
        {
            Metrics.Untrusted();
            var drop = _options.UntrustedPolicy == SipUntrustedPolicy.Drop;
            SipLog.Untrusted(_logger, remote, drop ? "dropped" : "answered 403");
            if (!drop && request.Method != SipMethods.Ack)
            {
                SendStateless(request, 403, channel, remote);
            }

            channel.CloseWhenSent(); // a stranger's connection carries one answer, then frees its slot
            return;
        }

        Dispatch(request, trunk, channel, remote);
    }

    /// <summary>
    /// A malformed request gets 400 (505 for another SIP version) when it can be routed: a top Via to send to
    /// and a CSeq the client can match on (RFC 3261 §17.1.3 matches on branch and CSeq method). Everything
    /// else, and any malformed response or ACK, is dropped.
    /// </summary>
    private void HandleMalformed(SipChannel channel, IPEndPoint remote, SipParseResult result)
    {
        var request = result.Message as SipRequest;
        var routable = request is { TopVia: not null, Method.Length: > 0 } && request.Method != SipMethods.Ack
            && request.GetHeader(SipHeaderNames.CSeq) is not null && result.Error != SipParseError.TooLarge;
        SipLog.Malformed(_logger, remote, result.Error.ToString(), result.Detail, routable ? "answered" : "dropped");
        if (!routable)
        {
            return;
        }

        var status = result.Error == SipParseError.UnsupportedVersion ? 505 : 400;
        var warning =
            "Warning: 399 backcall \""
                + result.Detail
                    .Replace("\"", "'", StringComparison.Ordinal)
                    .Replace("\\", "/", StringComparison.Ordinal)
                + "\"\r\n";
        SendStateless(request!, status, channel, remote, warning);
    }

    private void Dispatch(SipRequest request, SipTrunk trunk, SipChannel channel, IPEndPoint remote)
    {
        var method = request.Method;
        if (method == SipMethods.Ack)
        {
            if (Table.TryGet(TransactionKey.For(request, SipMethods.Invite), out var tx)
                && tx is InviteServerTransaction invite)
            {
                invite.OnAck();
            }

            return; // ACKs for unknown transactions (or for 2xx, which we never send) are dropped
        }

        var key = TransactionKey.For(request, method);
        if (Table.TryGet(key, out var existing))
        {
            existing.OnRetransmission();
            return;
        }

        if (method == SipMethods.Invite && Table.IsConfirmed(key))
        {
            return; // a retransmission after our final response was ACKed: absorbed until Timer I ends
        }

        if (method != SipMethods.Cancel && !_trunkLimits.TryAcquire(trunk, out var retryAfter))
        {
            var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds));
            Metrics.TrunkLimited();
            SipLog.TrunkRateLimited(_logger, method, trunk.Name, remote, seconds);
            SendStateless(request, 503, channel, remote, $"Retry-After: {seconds}\r\n");
            return;
        }

        if (method == SipMethods.Invite)
        {
            StartInvite(request, key, trunk, channel, remote);
            return;
        }

        var status = method switch
        {
            SipMethods.Cancel => CancelInvite(request),
            SipMethods.Options => 200,
            SipMethods.Bye => 481, // we never establish dialogs
            SipMethods.Prack => 481, // RFC 3262 §3: we never send a reliable provisional response to acknowledge
            _ when SipMethods.IsKnownButNotAllowed(method) => 405,
            _ => 501,
        };
        if (status is 200 or 405 && request.RequestUri is { IsSip: false, IsTel: false } && method != SipMethods.Cancel)
        {
            status = 416;
        }

        StartNonInvite(request, key, status, channel, remote);
    }

    private void StartInvite(SipRequest request, string key, SipTrunk trunk, SipChannel channel, IPEndPoint remote)
    {
        var destination = ResponseRoute.Destination(request.TopVia!, remote, channel);
        if (Table.Count >= _options.MaxTransactions)
        {
            SipLog.TransactionLimit(_logger, _options.MaxTransactions);
            SendStateless(request, 503, channel, remote);
            return;
        }

        // Answer without asking the application when the INVITE cannot be a new call to a pool number.
        int? immediate = request.To?.Tag is not null ? 481 // re-INVITE: we never have dialogs
            : request.RequestUri is { IsSip: false, IsTel: false } ? 416
            : null;
        InviteRequest? invite = null;
        if (immediate is null)
        {
            var origin = ForwardedOrigin.Resolve(request, trunk, _trunks);
            immediate = RejectUnresolved(request, origin, remote);
            if (immediate == DropSilently)
            {
                return;
            }

            if (immediate is null)
            {
                invite = NewInvite(request, origin, channel, remote);
            }
        }

        var transaction = new InviteServerTransaction(
            _context,
            key,
            request,
            channel,
            destination,
            invite,
            invite is null ? null : _handler);
        if (!Table.TryAdd(transaction))
        {
            // Lost a race with a retransmission of the same INVITE.
            if (Table.TryGet(key, out var winner))
            {
                winner.OnRetransmission();
            }

            return;
        }

        if (immediate is { } status)
        {
            transaction.Complete(status);
            return;
        }

        transaction.Start();
    }

    /// <summary>
    /// The answer for an INVITE whose forwarding proxy did not name a usable origin, or null to ask the
    /// application. An origin outside every trunk is what the proxy's ACL should have refused (a spoof or
    /// an ACL out of step with the trunks): it is untrusted and treated as such. No or a broken header from
    /// a proxy means nobody vouches for the caller: refused with the default code, so a misconfigured proxy
    /// shows up at once instead of confirming calls on identities nobody checked.
    /// </summary>
    private int? RejectUnresolved(SipRequest request, ForwardedOrigin origin, IPEndPoint remote)
    {
        switch (origin.Kind)
        {
            case ForwardedOriginKind.Outside:
                Metrics.Untrusted();
                var drop = _options.UntrustedPolicy == SipUntrustedPolicy.Drop;
                SipLog.ForwardedUntrusted(
                    _logger,
                    request.CallId!,
                    origin.Proxy!.Name,
                    remote,
                    origin.Source.ToString(),
                    drop ? "dropped" : "answered 403");
                return drop ? DropSilently : 403;
            case ForwardedOriginKind.Missing or ForwardedOriginKind.Malformed:
                SipLog.ForwardedSourceUnusable(
                    _logger,
                    request.CallId!,
                    origin.Proxy!.Name,
                    remote,
                    origin.Proxy.ForwardedSourceHeader!,
                    origin.RawValue ?? "(none)",
                    _options.RejectCode);
                return _options.RejectCode;
            default:
                return null;
        }
    }

    private InviteRequest NewInvite(SipRequest request, ForwardedOrigin origin, SipChannel channel, IPEndPoint remote)
    {
        var parties = CallPartyExtractor.Extract(request, origin.Trunk!);
        return new InviteRequest
        {
            CallId = request.CallId!,
            CallerNumber = parties.Caller,
            CallerIdSource = parties.CallerSource,
            CalledNumber = parties.Called,
            Redirection = RedirectionExtractor.Extract(request),
            Trunk = origin.Trunk!,
            RemoteEndPoint = remote,
            Proxy = origin.Proxy,
            OriginalSource = origin.Proxy is null ? null : origin.Source.EndPoint,
            OriginalTransport = origin.Source.Transport,
            Transport = channel.Transport,
            ReceivedAt = _context.Time.GetUtcNow(),
        };
    }

    /// <summary>
    /// CANCEL (RFC 3261 §9.2): 200 if it matches an INVITE transaction (which then gets 487 if still proceeding), else
    /// 481.
    /// </summary>
    private int CancelInvite(SipRequest cancel)
    {
        var key = TransactionKey.For(cancel, SipMethods.Invite);
        if (!Table.TryGet(key, out var tx) || tx is not InviteServerTransaction invite)
        {
            // A confirmed INVITE was answered: the CANCEL matches it and has no effect (RFC 3261 §9.2).
            return Table.IsConfirmed(key) ? 200 : 481;
        }

        invite.Cancel();
        return 200;
    }

    private void StartNonInvite(SipRequest request, string key, int status, SipChannel channel, IPEndPoint remote)
    {
        var destination = ResponseRoute.Destination(request.TopVia!, remote, channel);
        var response = _context.Responses.Build(request, status, remote, addToTag: true);
        var transaction = new NonInviteServerTransaction(_context, key, request, channel, destination, response);
        SipLog.Answered(_logger, request.Method, remote, status);
        if (channel.IsReliable)
        {
            transaction.Start(); // Timer J = 0 on reliable transports: nothing to remember
            return;
        }

        if (Table.Count >= _options.MaxTransactions || !Table.TryAdd(transaction))
        {
            channel.SendResponse(response, destination, request.TopVia!.Host);
            return;
        }

        transaction.Start();
    }

    private void SendStateless(
        SipRequest request,
        int status,
        SipChannel channel,
        IPEndPoint remote,
        string? extraHeaders = null)
    {
        var destination = ResponseRoute.Destination(request.TopVia!, remote, channel);
        channel.SendResponse(
            _context.Responses.Build(request, status, remote, addToTag: true, extraHeaders),
            destination,
            request.TopVia!.Host);
        SipLog.Answered(_logger, request.Method, remote, status);
    }

    /// <summary>An oversize datagram or unframeable stream: counted with the parse errors.</summary>
    public void ReportOversize() => Metrics.ParseError();

    /// <summary>
    /// Whether to keep a new TCP/TLS connection, and whether it comes from a trunk: under the Drop policy
    /// untrusted peers are closed at accept time (counted as untrusted), so they cannot hold connections open.
    /// </summary>
    public bool AcceptsConnectionFrom(IPEndPoint remote, out bool trusted)
    {
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        trusted = _trunks.Find(address) is not null;
        if (trusted || _options.UntrustedPolicy != SipUntrustedPolicy.Drop)
        {
            return true;
        }

        Metrics.Untrusted();
        SipLog.Untrusted(_logger, remote, "connection closed");
        return false;
    }

    /// <summary>Stops every live transaction (server shutdown).</summary>
    public void AbortAll()
    {
        foreach (var transaction in Table.All.ToArray())
        {
            transaction.Abort();
        }
    }
}
