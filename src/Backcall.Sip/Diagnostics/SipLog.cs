using System.Net;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Diagnostics;

/// <summary>
/// All log messages of the SIP stack, source-generated; each takes its event id from <see cref="SipEventId"/>.
/// </summary>
internal static partial class SipLog
{
    [LoggerMessage(
        EventId = SipEventId.Listening, Level = LogLevel.Information,
        Message = "SIP listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, SipEndpoint endpoint);

    [LoggerMessage(EventId = SipEventId.Stopped, Level = LogLevel.Information, Message = "SIP server stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(
        EventId = SipEventId.ReceiveFailed, Level = LogLevel.Warning,
        Message = "SIP receive loop on {Endpoint} failed; continuing")]
    public static partial void ReceiveFailed(ILogger logger, SipEndpoint endpoint, Exception exception);

    [LoggerMessage(
        EventId = SipEventId.TcpClosed, Level = LogLevel.Debug,
        Message = "SIP TCP connection from {Remote} closed: {Reason}")]
    public static partial void TcpClosed(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(
        EventId = SipEventId.TcpLimit, Level = LogLevel.Warning,
        Message = "SIP TCP connection limit {Limit} reached; refusing {Remote}")]
    public static partial void TcpLimit(ILogger logger, int limit, IPEndPoint remote);

    [LoggerMessage(EventId = SipEventId.SendFailed, Level = LogLevel.Debug, Message = "SIP send to {Remote} failed")]
    public static partial void SendFailed(ILogger logger, IPEndPoint remote, Exception exception);

    [LoggerMessage(
        EventId = SipEventId.OversizeDatagram, Level = LogLevel.Debug,
        Message = "SIP oversize datagram from {Remote} dropped")]
    public static partial void OversizeDatagram(ILogger logger, IPEndPoint remote);

    [LoggerMessage(
        EventId = SipEventId.TlsCertificateLoaded, Level = LogLevel.Information,
        Message = "SIP TLS certificate loaded: {Subject}, valid until {NotAfter:u}")]
    public static partial void TlsCertificateLoaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(
        EventId = SipEventId.TlsCertificateReloadFailed, Level = LogLevel.Warning,
        Message = "SIP TLS certificate files changed but do not load; keeping the previous certificate: {Error}")]
    public static partial void TlsCertificateReloadFailed(ILogger logger, string error);

    [LoggerMessage(
        EventId = SipEventId.ReconnectFailed, Level = LogLevel.Warning,
        Message = "SIP {Transport} connection to {Remote} for a response failed: {Reason}")]
    public static partial void ReconnectFailed(ILogger logger, string transport, IPEndPoint remote, string reason);

    [LoggerMessage(
        EventId = SipEventId.TcpUntrustedRefused, Level = LogLevel.Debug,
        Message = "SIP TCP connection from untrusted {Remote} refused: {Reason}")]
    public static partial void TcpUntrustedRefused(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(
        EventId = SipEventId.Untrusted, Level = LogLevel.Debug,
        Message = "SIP request from untrusted {Remote} {Action}")]
    public static partial void Untrusted(ILogger logger, IPEndPoint remote, string action);

    [LoggerMessage(
        EventId = SipEventId.RateLimited, Level = LogLevel.Debug,
        Message = "SIP request from {Remote} rate-limited")]
    public static partial void RateLimited(ILogger logger, IPEndPoint remote);

    [LoggerMessage(
        EventId = SipEventId.Malformed, Level = LogLevel.Debug,
        Message = "SIP malformed message from {Remote} ({Error}: {Detail}); {Action}")]
    public static partial void Malformed(ILogger logger, IPEndPoint remote, string error, string detail, string action);

    [LoggerMessage(
        EventId = SipEventId.Answered, Level = LogLevel.Debug,
        Message = "SIP {Method} from {Remote} answered {Status}")]
    public static partial void Answered(ILogger logger, string method, IPEndPoint remote, int status);

    [LoggerMessage(
        EventId = SipEventId.ForwardedUntrusted, Level = LogLevel.Warning,
        Message = "SIP INVITE {CallId} via proxy trunk {Proxy} ({Remote}) from original source {Source}, outside "
            + "every trunk: {Action} (the proxy should have refused it: ACL out of step, or a spoof)")]
    public static partial void ForwardedUntrusted(
        ILogger logger, string callId, string proxy, IPEndPoint remote, string source, string action);

    [LoggerMessage(
        EventId = SipEventId.ForwardedSourceUnusable, Level = LogLevel.Warning,
        Message = "SIP INVITE {CallId} via proxy trunk {Proxy} ({Remote}) has no usable {Header} header ({Value}); "
            + "rejected {Status} without matching (nobody vouches for the caller)")]
    public static partial void ForwardedSourceUnusable(
        ILogger logger, string callId, string proxy, IPEndPoint remote, string header, string value, int status);

    [LoggerMessage(
        EventId = SipEventId.TrunkRateLimited,
        Level = LogLevel.Debug,
        Message = "SIP {Method} from trunk {Trunk} ({Remote}) over its "
            + "rate limit; answered 503, retry after {RetryAfter} s")]
    public static partial void TrunkRateLimited(
        ILogger logger,
        string method,
        string trunk,
        IPEndPoint remote,
        int retryAfter);

    [LoggerMessage(
        EventId = SipEventId.TimerH, Level = LogLevel.Debug,
        Message = "SIP INVITE {CallId} got no ACK before Timer H; giving up")]
    public static partial void TimerH(ILogger logger, string callId);

    [LoggerMessage(
        EventId = SipEventId.TransactionLimit, Level = LogLevel.Warning,
        Message = "SIP transaction limit {Limit} reached; answering 503")]
    public static partial void TransactionLimit(ILogger logger, int limit);

    // Debug: the server logs each call once at Information, with its outcome (the bridge's line); a second
    // line per INVITE cost throughput at thousands of calls per second (BENCHMARKS.md).
    [LoggerMessage(
        EventId = SipEventId.InviteRejected, Level = LogLevel.Debug,
        Message = "SIP INVITE {CallId} on trunk {Trunk}: {Caller} -> {Called} rejected {Status}")]
    public static partial void InviteRejected(
        ILogger logger, string callId, string trunk, string? caller, string called, int status);

    [LoggerMessage(
        EventId = SipEventId.HandlerFailed, Level = LogLevel.Error,
        Message = "SIP invite handler failed for {CallId}; sending the default rejection")]
    public static partial void HandlerFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(
        EventId = SipEventId.HandlerTimedOut, Level = LogLevel.Warning,
        Message = "SIP invite handler for {CallId} did not decide within {Timeout}; sending the default rejection")]
    public static partial void HandlerTimedOut(ILogger logger, string callId, TimeSpan timeout);

    [LoggerMessage(
        EventId = SipEventId.HandlerBadStatus, Level = LogLevel.Warning,
        Message = "SIP invite handler returned unusable status {Status} for {CallId}; sending the default rejection")]
    public static partial void HandlerBadStatus(ILogger logger, int status, string callId);

    [LoggerMessage(
        EventId = SipEventId.InviteCancelled, Level = LogLevel.Debug,
        Message = "SIP INVITE {CallId} cancelled before a decision")]
    public static partial void InviteCancelled(ILogger logger, string callId);

    [LoggerMessage(
        EventId = SipEventId.ClientCallEnded, Level = LogLevel.Debug,
        Message = "SIP client call {CallId} to {Server} ended with {Status}")]
    public static partial void ClientCallEnded(ILogger logger, string callId, SipEndpoint server, int status);

    [LoggerMessage(
        EventId = SipEventId.Registered,
        Level = LogLevel.Information,
        Message = "SIP registration {Name} at {Registrar} ({EndPoint}) registered until {Until:u}")]
    public static partial void Registered(
        ILogger logger,
        string name,
        string registrar,
        string endPoint,
        DateTimeOffset until);

    [LoggerMessage(
        EventId = SipEventId.RegistrationContactMoved,
        Level = LogLevel.Information,
        Message = "SIP registration {Name}: the registrar sees us at "
            + "{Seen}, not {Contact}; registering that address (NAT)")]
    public static partial void RegistrationContactMoved(
        ILogger logger,
        string name,
        IPEndPoint contact,
        IPEndPoint seen);

    [LoggerMessage(
        EventId = SipEventId.RegistrationFailing,
        Level = LogLevel.Warning,
        Message = "SIP registration {Name} at {Registrar} failing: {Status} {Reason}; next attempt at {Next:u}")]
    public static partial void RegistrationFailing(
        ILogger logger,
        string name,
        string registrar,
        int status,
        string reason,
        DateTimeOffset next);

    [LoggerMessage(
        EventId = SipEventId.Unregistered, Level = LogLevel.Information,
        Message = "SIP registration {Name} at {Registrar} stopped")]
    public static partial void Unregistered(ILogger logger, string name, string registrar);

    [LoggerMessage(
        EventId = SipEventId.SourceResolved, Level = LogLevel.Information,
        Message = "SIP source {Host} resolved to {Addresses} (TTL {Ttl})")]
    public static partial void SourceResolved(ILogger logger, string host, string addresses, TimeSpan ttl);

    [LoggerMessage(
        EventId = SipEventId.SourceUnresolved, Level = LogLevel.Warning,
        Message = "SIP source {Host} could not be resolved: {Error}; keeping its last addresses")]
    public static partial void SourceUnresolved(ILogger logger, string host, string error);
}
