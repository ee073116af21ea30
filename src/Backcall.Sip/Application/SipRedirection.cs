namespace Backcall.Sip;

/// <summary>
/// What an INVITE says about having been forwarded to the called number: the caller dialled another number,
/// whose owner (or network) forwarded the call here. The caller ID is still the caller's, so such a call proves
/// nothing about who wanted to reach the pool number; the application decides what it is worth
/// (<see cref="SipTrunk.AllowRedirected"/>).
/// </summary>
/// <param name="Number">
/// The number that forwarded the call (the most recent diversion), as a raw user part like
/// <see cref="InviteRequest.CallerNumber"/>; null when the header hides it or names no number.
/// </param>
/// <param name="Header">Which header told of the forwarding.</param>
public sealed record SipRedirection(string? Number, SipRedirectionHeader Header);

/// <summary>Where <see cref="SipRedirection"/> was found.</summary>
public enum SipRedirectionHeader
{
    /// <summary>Diversion (RFC 5806).</summary>
    Diversion,

    /// <summary>History-Info (RFC 7044) showing a retargeting to another user.</summary>
    HistoryInfo,
}
