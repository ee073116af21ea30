namespace Backcall.Sip.Message;

/// <summary>
/// A parsed URI as found in a Request-URI or a name-addr: <c>sip:</c>/<c>sips:</c> (RFC 3261 §19.1),
/// <c>tel:</c> (RFC 3966) or any other absolute URI kept opaque.
/// </summary>
internal sealed class SipUri
{
    public required string Raw { get; init; }

    /// <summary>Lower-cased scheme, e.g. <c>sip</c>, <c>sips</c>, <c>tel</c>.</summary>
    public required string Scheme { get; init; }

    /// <summary>User part exactly as received (still %-escaped); for tel URIs the subscriber number.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>Host (brackets kept for IPv6 references); empty for tel and opaque URIs.</summary>
    public string Host { get; init; } = "";

    public int? Port { get; init; }

    public SipParameters Parameters { get; init; } = new();

    /// <summary>The <c>?headers</c> part without the question mark, if any.</summary>
    public string? Headers { get; init; }

    public bool IsSip => Scheme is "sip" or "sips";

    public bool IsTel => Scheme == "tel";

    public override string ToString() => Raw;
}
