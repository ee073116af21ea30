using Backcall.Sip.Message;

namespace Backcall.Sip.Trunks;

internal enum ForwardedOriginKind
{
    /// <summary>The sending trunk is not a proxy: it is the origin.</summary>
    Direct,

    /// <summary>A proxy named an original source that belongs to one of the other trunks.</summary>
    Resolved,

    /// <summary>
    /// A proxy named an original source outside every other trunk: a proxy ACL out of step, or a spoof.
    /// </summary>
    Outside,

    /// <summary>A proxy sent no original source (or more than one): nobody vouches for the caller.</summary>
    Missing,

    /// <summary>A proxy sent an original source that does not parse.</summary>
    Malformed,
}

/// <summary>
/// Which trunk an INVITE really comes from. From a proxy trunk (<see cref="SipTrunk.IsProxy"/>) that is the
/// trunk of the original source the proxy reports, looked up among the other trunks, so PAI trust, region and
/// the called-number rule stay those of the carrier. From any other trunk the header means nothing and is not
/// read: only a proxy we configured may move the decision.
/// </summary>
internal readonly record struct ForwardedOrigin(
    ForwardedOriginKind Kind,
    SipTrunk? Trunk,
    SipTrunk? Proxy,
    ForwardedSource Source,
    string? RawValue)
{
    public static ForwardedOrigin Resolve(SipRequest request, SipTrunk trunk, TrunkTable trunks)
    {
        if (trunk.ForwardedSourceHeader is not { } header)
        {
            return new(ForwardedOriginKind.Direct, trunk, null, default, null);
        }

        // Two copies could be one the proxy added and one it failed to remove: believe neither.
        string? raw = null;
        var count = 0;
        foreach (var value in request.GetHeaders(header))
        {
            raw ??= value;
            count++;
        }

        if (count != 1)
        {
            return new(ForwardedOriginKind.Missing, null, trunk, default, count == 0 ? null : raw);
        }

        if (!ForwardedSource.TryParse(raw, out var source))
        {
            return new(ForwardedOriginKind.Malformed, null, trunk, default, raw);
        }

        return trunks.FindOrigin(source.EndPoint.Address) is { } origin
            ? new(ForwardedOriginKind.Resolved, origin, trunk, source, raw)
            : new(ForwardedOriginKind.Outside, null, trunk, source, raw);
    }
}
