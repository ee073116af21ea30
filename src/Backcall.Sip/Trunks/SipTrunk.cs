using System.Net;

namespace Backcall.Sip;

/// <summary>A configured trusted peer, as resolved at runtime and handed to the application with each INVITE.</summary>
public sealed class SipTrunk
{
    public SipTrunk(
        string name,
        IReadOnlyList<IPNetwork> sources,
        string region = "RU",
        bool trustPai = false,
        CalledNumberSource calledFrom = CalledNumberSource.RequestUri,
        string? forwardedSourceHeader = null,
        double rateLimitPerSecond = 0,
        int rateLimitBurst = 0,
        bool allowRedirected = false,
        IReadOnlyList<string>? hostSources = null,
        string? calledNumber = null)
    {
        Name = name;
        Sources = sources;
        Region = region;
        TrustPai = trustPai;
        CalledFrom = calledFrom;
        ForwardedSourceHeader = string.IsNullOrWhiteSpace(forwardedSourceHeader) ? null : forwardedSourceHeader.Trim();
        RateLimitPerSecond = Math.Max(0, rateLimitPerSecond);
        RateLimitBurst = rateLimitBurst > 0 ? rateLimitBurst : Math.Max(1, (int)Math.Ceiling(RateLimitPerSecond));
        AllowRedirected = allowRedirected;
        HostSources = hostSources ?? [];
        CalledNumber = string.IsNullOrWhiteSpace(calledNumber) ? null : calledNumber.Trim();
    }

    /// <summary>Trunk name from configuration.</summary>
    public string Name { get; }

    /// <summary>Address blocks requests from this trunk come from.</summary>
    public IReadOnlyList<IPNetwork> Sources { get; }

    /// <summary>Host names whose addresses (re-resolved on their TTL) also belong to this trunk.</summary>
    public IReadOnlyList<string> HostSources { get; }

    /// <summary>
    /// For a registration's trunk: the pool number its calls are for, whatever their Request-URI or To say;
    /// null for a trunk whose calls name the number themselves.
    /// </summary>
    public string? CalledNumber { get; }

    /// <summary>Default region for national numbers (ISO 3166 alpha-2), e.g. RU.</summary>
    public string Region { get; }

    /// <summary>Whether P-Asserted-Identity and Remote-Party-ID from this trunk are believed.</summary>
    public bool TrustPai { get; }

    /// <summary>Whether a forwarded call may confirm (see <see cref="TrunkOptions.AllowRedirected"/>).</summary>
    public bool AllowRedirected { get; }

    /// <summary>Where the called number is read from.</summary>
    public CalledNumberSource CalledFrom { get; }

    /// <summary>
    /// For a proxy in front of Backcall (Kamailio): the header its INVITEs carry the original source in; null
    /// for a trunk that sends its own calls. See <see cref="TrunkOptions.ForwardedSourceHeader"/>.
    /// </summary>
    public string? ForwardedSourceHeader { get; }

    /// <summary>New requests a second this trunk may send before it gets 503 with Retry-After; 0 = no limit.</summary>
    public double RateLimitPerSecond { get; }

    /// <summary>
    /// How many new requests the trunk may send at once within its limit (default: one second's worth).
    /// </summary>
    public int RateLimitBurst { get; }

    /// <summary>Whether this trunk forwards other trunks' calls (<see cref="ForwardedSourceHeader"/> is set).</summary>
    public bool IsProxy => ForwardedSourceHeader is not null;

    /// <summary>
    /// The trunk used when none is configured: <c>local</c>, 127.0.0.0/8 and ::1. It trusts asserted identities:
    /// only processes on this machine reach it (the demo, <c>backcall call</c>, a PBX on the same host).
    /// </summary>
    public static SipTrunk Local { get; } =
        new("local", [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")], trustPai: true);

    public static SipTrunk FromOptions(TrunkOptions options)
    {
        var sources = Trunks.SourceList.Parse(options.Sources);
        return new(
            options.Name,
            sources.Networks,
            options.Region.Trim().ToUpperInvariant(),
            options.TrustPai,
            options.CalledFrom,
            options.ForwardedSourceHeader,
            options.RateLimitPerSecond,
            options.RateLimitBurst,
            options.AllowRedirected,
            sources.HostNames);
    }

    /// <summary>Parses addresses and CIDRs with <see cref="NetworkList"/>; a bare address is a /32 or /128.</summary>
    /// <exception cref="FormatException">An entry is neither an IP address nor a CIDR block.</exception>
    public static IReadOnlyList<IPNetwork> ParseSources(IEnumerable<string> sources) => NetworkList.Parse(sources);

    public override string ToString() => Name;
}
