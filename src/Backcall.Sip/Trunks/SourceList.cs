using System.Net;

namespace Backcall.Sip.Trunks;

/// <summary>
/// A trunk's <c>Sources</c>: address blocks, and host names resolved at run time (as Asterisk's identify).
/// </summary>
internal sealed record SourceList(IReadOnlyList<IPNetwork> Networks, IReadOnlyList<string> HostNames)
{
    public int Count => Networks.Count + HostNames.Count;

    /// <summary>Parses entries (each may hold several, comma-, semicolon- or space-separated).</summary>
    /// <exception cref="FormatException">An entry is neither an address, a CIDR block nor a host name.</exception>
    public static SourceList Parse(IEnumerable<string> sources)
    {
        var networks = new List<IPNetwork>();
        var names = new List<string>();
        foreach (var raw in NetworkList.Entries(sources))
        {
            if (NetworkList.TryParse(raw, out var network))
            {
                networks.Add(network);
            }
            else if (IsHostName(raw))
            {
                names.Add(raw.TrimEnd('.').ToLowerInvariant());
            }
            else
            {
                throw new FormatException($"'{raw}' is neither {NetworkList.Expected} nor a host name.");
            }
        }

        return new SourceList(networks, names.Distinct().ToArray());
    }

    /// <summary>
    /// RFC 1123 host name with at least one letter (so that a mistyped address is not taken for a name).
    /// </summary>
    private static bool IsHostName(string text)
    {
        var name = text.TrimEnd('.');
        if (name.Length is 0 or > 253 || !name.Any(char.IsAsciiLetter))
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
