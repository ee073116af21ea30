namespace Backcall.Sip.Message;

/// <summary>
/// A name-addr or addr-spec with header parameters, as used by From, To, Contact, Route,
/// P-Asserted-Identity and Remote-Party-ID (RFC 3261 §20.10 / §25.1).
/// </summary>
internal sealed class SipNameAddress
{
    /// <summary>Display name with quotes removed and quoted-pairs unescaped; null when absent.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The URI; null only for the Contact wildcard <c>*</c>.</summary>
    public SipUri? Uri { get; init; }

    public SipParameters Parameters { get; init; } = new();

    public bool IsWildcard => Uri is null;

    public string? Tag => Parameters.Get("tag");
}
