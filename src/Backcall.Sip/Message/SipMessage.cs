namespace Backcall.Sip.Message;

/// <summary>
/// A parsed SIP message: raw header list plus the structured views the stack needs
/// (filled by the parser; present even when validation failed further on, so a 400 can be routed).
/// </summary>
internal abstract class SipMessage
{
    /// <summary>The one SIP-Version we speak (RFC 3261 §7.1), in start lines and Via sent-protocols.</summary>
    public const string Version2 = "SIP/2.0";

    // Room for a trunk's INVITE (12-16 header lines) from the start: growing 4, 8, 16 made three arrays.
    public List<SipHeader> Headers { get; } = new(16);

    public ReadOnlyMemory<byte> Body { get; set; }

    public List<SipVia> Vias { get; } = [];

    public SipNameAddress? From { get; set; }

    public SipNameAddress? To { get; set; }

    public string? CallId { get; set; }

    public SipCSeq? CSeq { get; set; }

    public int? MaxForwards { get; set; }

    public int? ContentLength { get; set; }

    public SipVia? TopVia => Vias.Count > 0 ? Vias[0] : null;

    /// <summary>
    /// True when every Via value parsed; otherwise <see cref="Vias"/> holds at most a routing-only top Via.
    /// </summary>
    public bool ViasIntact { get; set; }

    /// <summary>First value of a header by canonical name (case-insensitive).</summary>
    public string? GetHeader(string name)
    {
        foreach (var h in Headers)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return h.Value;
            }
        }

        return null;
    }

    /// <summary>All values of a header (one per header line, not comma-split).</summary>
    public SipHeaderValues GetHeaders(string name) => new(Headers, name);

    public int CountHeaders(string name)
    {
        var n = 0;
        foreach (var h in Headers)
        {
            if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                n++;
            }
        }

        return n;
    }
}

internal sealed class SipRequest : SipMessage
{
    public required string Method { get; init; }

    /// <summary>The Request-URI text as received.</summary>
    public required string RawRequestUri { get; init; }

    /// <summary>Parsed Request-URI; null when it is malformed.</summary>
    public SipUri? RequestUri { get; set; }

    public string Version { get; init; } = Version2;
}

internal sealed class SipResponse : SipMessage
{
    public required int StatusCode { get; init; }

    public required string ReasonPhrase { get; init; }
}
