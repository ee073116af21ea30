using System.Text;

namespace Backcall.Sip.Message;

/// <summary>One Via header field value (RFC 3261 §20.42, with RFC 3581 <c>rport</c>).</summary>
internal sealed class SipVia
{
    /// <summary>RFC 3261 §8.1.1.7: branches starting with this cookie are globally unique transaction ids.</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>The value as received, used when the Via is echoed unchanged.</summary>
    public required string Raw { get; init; }

    /// <summary><c>SIP/2.0</c> (protocol name and version, upper-cased).</summary>
    public required string Protocol { get; init; }

    /// <summary>Transport token upper-cased, e.g. <c>UDP</c>, <c>TCP</c>.</summary>
    public required string Transport { get; init; }

    public required string Host { get; init; }

    public int? Port { get; init; }

    public SipParameters Parameters { get; init; } = new();

    public string? Branch => Parameters.Get("branch");

    /// <summary>True when the branch carries the RFC 3261 magic cookie (and something after it).</summary>
    public bool HasRfc3261Branch => Branch is { Length: > 7 } b && b.StartsWith(MagicCookie, StringComparison.Ordinal);

    public bool HasRport => Parameters.Contains("rport");

    /// <summary>sent-by as <c>host:port</c> with the default port filled in, for transaction keys.</summary>
    public string SentBy => $"{Host.ToLowerInvariant()}:{Port ?? 5060}";

    public string Serialize()
    {
        var sb = new StringBuilder(Raw.Length + 32);
        sb.Append(Protocol).Append('/').Append(Transport).Append(' ').Append(Host);
        if (Port is { } port)
        {
            sb.Append(':').Append(port);
        }

        Parameters.AppendTo(sb);
        return sb.ToString();
    }
}
