using System.Net;
using System.Net.Sockets;

namespace Backcall.Sip;

/// <summary>
/// The one parser of configured lists of networks in Backcall: SIP trunk sources, the server's trusted
/// proxies and the networks webhooks may reach. An entry is an IP address (a /32 or /128) or a CIDR block,
/// IPv4 or IPv6; one configuration value may hold several, separated by commas, semicolons or spaces.
/// </summary>
public static class NetworkList
{
    /// <summary>What an entry may be, for error messages.</summary>
    public const string Expected = "an IP address or a CIDR block such as 192.0.2.0/24 or 2001:db8::/32";

    /// <summary>Parses every entry of every value.</summary>
    /// <exception cref="FormatException">An entry is not a network; the message quotes it.</exception>
    public static IReadOnlyList<IPNetwork> Parse(IEnumerable<string> values)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in values.SelectMany(Split))
        {
            networks.Add(TryParse(entry, out var network)
                ? network
                : throw new FormatException($"'{entry}' is not {Expected}."));
        }

        return networks;
    }

    /// <summary>The entries that are not networks, for validation messages; empty when all parse.</summary>
    public static IReadOnlyList<string> Invalid(IEnumerable<string> values) =>
        [.. values.SelectMany(Split).Where(entry => !TryParse(entry, out _))];

    /// <summary>One entry: a CIDR block, or an address as a network of one.</summary>
    public static bool TryParse(string entry, out IPNetwork network)
    {
        entry = entry.Trim();
        if (IPNetwork.TryParse(entry, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(entry, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The entries of every value, split as <see cref="Parse"/> splits them, for lists that also take names.
    /// </summary>
    public static IEnumerable<string> Entries(IEnumerable<string> values) => values.SelectMany(Split);

    private static string[] Split(string value) =>
        value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
