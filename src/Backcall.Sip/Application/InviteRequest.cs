using System.Net;

namespace Backcall.Sip;

/// <summary>What an incoming INVITE says about who called whom, handed to <see cref="IInviteHandler"/>.</summary>
/// <remarks>
/// Numbers are raw user parts with %-escapes decoded, URI parameters dropped and visual separators
/// (<c>- . ( )</c> and spaces) removed; a leading <c>+</c> is kept. Normalisation to E.164 is the
/// application's job (it knows the trunk's <see cref="SipTrunk.Region"/>).
/// </remarks>
public sealed record InviteRequest
{
    /// <summary>Call-ID of the INVITE.</summary>
    public required string CallId { get; init; }

    /// <summary>Caller number, or null when the caller is anonymous or withheld.</summary>
    public required string? CallerNumber { get; init; }

    /// <summary>
    /// Which header the caller number came from (<see cref="SipCallerIdSource.None"/> when anonymous).
    /// </summary>
    public required SipCallerIdSource CallerIdSource { get; init; }

    /// <summary>
    /// Set when Diversion or History-Info says the call was forwarded to the called number; null for a call
    /// dialled straight to it. Read whatever the trunk's <see cref="SipTrunk.AllowRedirected"/>: deciding is the
    /// application's.
    /// </summary>
    public SipRedirection? Redirection { get; init; }

    /// <summary>
    /// Called number (a pool number), from the Request-URI or To per trunk; empty if there was no user part.
    /// </summary>
    public required string CalledNumber { get; init; }

    /// <summary>
    /// The trunk the call came from: the sender's, or behind a proxy trunk the trunk of the original source
    /// the proxy reported (<see cref="OriginalSource"/>). Its TrustPai, Region and CalledFrom were applied.
    /// </summary>
    public required SipTrunk Trunk { get; init; }

    /// <summary>Source address and port of the INVITE packet: the proxy's when <see cref="Proxy"/> is set.</summary>
    public required IPEndPoint RemoteEndPoint { get; init; }

    /// <summary>
    /// The proxy trunk that forwarded the INVITE (e.g. Kamailio), or null when it came straight from
    /// <see cref="Trunk"/>.
    /// </summary>
    public SipTrunk? Proxy { get; init; }

    /// <summary>
    /// The original sender as the proxy reported it (its forwarded-source header), or null when not forwarded.
    /// </summary>
    public IPEndPoint? OriginalSource { get; init; }

    /// <summary>
    /// The transport the original sender used, as the proxy reported it (e.g. <c>udp</c>), if it said.
    /// </summary>
    public string? OriginalTransport { get; init; }

    /// <summary>Transport the INVITE arrived on.</summary>
    public required SipTransport Transport { get; init; }

    /// <summary>When the INVITE was received (from the server's TimeProvider).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
}
