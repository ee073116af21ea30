using Backcall.Core.Phones;

namespace Backcall.Core.Calls;

/// <summary>A call that reached Backcall (from SIP or the PBX HTTP endpoint), before matching.</summary>
/// <param name="CallId">The transport's id of the call (SIP Call-ID); the same id twice is one call.</param>
/// <param name="Caller">Who called, or null for an anonymous caller.</param>
/// <param name="Called">The pool number that was called.</param>
/// <param name="Source">Where it came from, e.g. <c>sip:udp:127.0.0.1:5080 trunk=local</c> or <c>http:pbx</c>.</param>
/// <param name="ReceivedAt">
/// When the call arrived (the INVITE's or the PBX request's arrival): it is judged at this time, not when it
/// is written. Null means now.
/// </param>
/// <param name="Redirection">Set when the call was forwarded to <paramref name="Called"/> from another number.</param>
public sealed record IncomingCall(
    string CallId,
    E164Phone? Caller,
    E164Phone Called,
    string Source,
    DateTimeOffset? ReceivedAt = null,
    CallRedirection? Redirection = null);
