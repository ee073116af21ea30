using Backcall.Server.Logging;

namespace Backcall.Server.Sip;

internal static partial class SipBridgeLog
{
    // Debug: at thousands of calls a second a JSON console line each costs the formatting on the SIP path and,
    // when the console cannot keep up, blocks it (the logger's queue is bounded). The call log (console, admin
    // API) records every call. A forwarded call (below) stays at Information: rare, and the forwarding attack.
    [LoggerMessage(
        ServerEventId.SipInviteHandled, LogLevel.Debug,
        "SIP INVITE {CallId} from {Caller} to {Called} via trunk {Trunk}: {Outcome} (repeated {Repeated})")]
    public static partial void InviteHandled(
        ILogger logger, string callId, string caller, string called, string trunk, string outcome, bool repeated);

    [LoggerMessage(
        ServerEventId.SipCalledNotANumber, LogLevel.Warning,
        "SIP INVITE {CallId} via trunk {Trunk}: called user part '{Called}' is not a phone number; rejected without "
            + "matching")]
    public static partial void CalledNotANumber(ILogger logger, string callId, string called, string trunk);

    [LoggerMessage(
        ServerEventId.SipRedirectedInviteHandled, LogLevel.Information,
        "SIP INVITE {CallId} from {Caller} to {Called}, forwarded by {RedirectedFrom} ({Header}), via trunk {Trunk}: "
            + "{Outcome} (repeated {Repeated})")]
    public static partial void RedirectedInviteHandled(
        ILogger logger,
        string callId,
        string caller,
        string called,
        string redirectedFrom,
        Backcall.Sip.SipRedirectionHeader header,
        string trunk,
        string outcome,
        bool repeated);

    [LoggerMessage(
        ServerEventId.SipCallLogWriteFailed, LogLevel.Error,
        "SIP INVITE {CallId}: its call-log row (written after the answer, it confirmed nothing) could not be stored")]
    public static partial void CallLogWriteFailed(ILogger logger, string callId, Exception exception);

    [LoggerMessage(
        ServerEventId.SipRegistrationStateFileFailed, LogLevel.Warning,
        "SIP registration state could not be written to {Path}: {Error}; the admin API still shows it")]
    public static partial void StateFileFailed(ILogger logger, string path, string error);
}
