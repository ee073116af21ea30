namespace Backcall.Sip;

/// <summary>
/// One trusted SIP peer (carrier, Asterisk, FreeSWITCH, Kamailio), bound from <c>Sip:Trunks:N</c>.
/// </summary>
public sealed class TrunkOptions
{
    /// <summary>Name used in logs and handed to the application (<c>Sip:Trunks:N:Name</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Source addresses or CIDR blocks, IPv4 or IPv6 (<c>Sip:Trunks:N:Sources:M</c>), e.g. <c>192.0.2.10</c>,
    /// <c>198.51.100.0/24</c>, <c>2001:db8::/32</c>. An entry may also hold several comma-separated values.
    /// </summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>
    /// Region used by the application to normalise national numbers (<c>Sip:Trunks:N:Region</c>, default RU).
    /// </summary>
    public string Region { get; set; } = "RU";

    /// <summary>
    /// Whether this trunk is trusted to assert the caller's identity (<c>Sip:Trunks:N:TrustPai</c>, default false):
    /// P-Asserted-Identity and Remote-Party-ID are believed only then; otherwise the caller is From.
    /// </summary>
    public bool TrustPai { get; set; }

    /// <summary>
    /// Whether a call forwarded to the pool number (Diversion or History-Info, <c>Sip:Trunks:N:AllowRedirected</c>,
    /// default false) may confirm an authorization. Off, such a call is logged as <c>redirected</c> and confirms
    /// nothing: whoever forwards a number of theirs to the pool number could make its callers verify for them.
    /// </summary>
    public bool AllowRedirected { get; set; }

    /// <summary>Where the called number is taken from (<c>Sip:Trunks:N:CalledFrom</c>: RequestUri or To).</summary>
    public CalledNumberSource CalledFrom { get; set; } = CalledNumberSource.RequestUri;

    /// <summary>
    /// Marks this trunk as a proxy in front of Backcall (<c>Sip:Trunks:N:ForwardedSourceHeader</c>, e.g.
    /// <c>X-Backcall-Source</c>; default none): its INVITEs carry the original sender's <c>address:port</c> in
    /// this header, and the trunk that address belongs to (among the other trunks) decides PAI trust, region
    /// and where the called number is read. Only for a proxy that removes any incoming copy of the header.
    /// </summary>
    public string? ForwardedSourceHeader { get; set; }

    /// <summary>
    /// This trunk's own limit on new requests a second (<c>Sip:Trunks:N:RateLimitPerSecond</c>; default 0, no
    /// limit). Over it the trunk gets 503 Service Unavailable with Retry-After, never silence. ACK and CANCEL
    /// are never limited. The per-source limit (<see cref="SipOptions.RateLimitPerSecond"/>) does not apply
    /// to trunks.
    /// </summary>
    public double RateLimitPerSecond { get; set; }

    /// <summary>
    /// Burst within <see cref="RateLimitPerSecond"/> (<c>Sip:Trunks:N:RateLimitBurst</c>; 0 = one second's worth).
    /// </summary>
    public int RateLimitBurst { get; set; }
}
