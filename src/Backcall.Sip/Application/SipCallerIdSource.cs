namespace Backcall.Sip;

/// <summary>Where <see cref="InviteRequest.CallerNumber"/> was found.</summary>
public enum SipCallerIdSource
{
    /// <summary>No usable caller number: anonymous, withheld (Privacy: id) or no digits.</summary>
    None,

    /// <summary>P-Asserted-Identity (RFC 3325), only believed from trunks with TrustPai.</summary>
    PAssertedIdentity,

    /// <summary>Remote-Party-ID (draft-ietf-sip-privacy), used by older equipment.</summary>
    RemotePartyId,

    /// <summary>From header: set by the calling party, easy to spoof.</summary>
    From,
}
