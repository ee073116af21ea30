namespace Backcall.Sip;

/// <summary>A point-in-time copy of a <see cref="SipServer"/>'s counters (all cumulative since start).</summary>
public sealed record SipServerCounters
{
    /// <summary>Messages received on any transport, before filtering (meter: backcall.sip.messages.received).</summary>
    public long Received { get; init; }

    /// <summary>
    /// INVITEs rejected, by final status code (meter: backcall.sip.invites.rejected, tag status_code).
    /// </summary>
    public IReadOnlyDictionary<int, long> RejectedByCode { get; init; } = new Dictionary<int, long>();

    /// <summary>Responses retransmitted (meter: backcall.sip.retransmissions).</summary>
    public long Retransmissions { get; init; }

    /// <summary>Requests from sources outside every trunk (meter: backcall.sip.untrusted).</summary>
    public long UntrustedDropped { get; init; }

    /// <summary>
    /// Messages from untrusted sources dropped by the per-source rate limit (meter: backcall.sip.rate_limited).
    /// </summary>
    public long RateLimited { get; init; }

    /// <summary>Requests from a trunk over its own limit, answered 503 (meter: backcall.sip.trunk_limited).</summary>
    public long TrunkLimited { get; init; }

    /// <summary>Malformed messages (meter: backcall.sip.parse_errors).</summary>
    public long ParseErrors { get; init; }

    /// <summary>Times <see cref="IInviteHandler.HandleInviteAsync"/> was called.</summary>
    public long HandlerCalls { get; init; }

    /// <summary>Total INVITEs rejected, any code.</summary>
    public long Rejected => RejectedByCode.Values.Sum();
}
