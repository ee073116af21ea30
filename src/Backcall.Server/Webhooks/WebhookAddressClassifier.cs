using System.Net;
using System.Net.Sockets;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Tells public unicast addresses from everything a webhook must not reach by default: loopback, private,
/// link-local (the cloud metadata service at 169.254.169.254), CGNAT, multicast, documentation and other
/// special-purpose ranges (IANA special-purpose registries), including IPv6 forms that embed such an IPv4
/// address.
/// </summary>
public static class WebhookAddressClassifier
{
    private static readonly (IPNetwork Network, string Kind)[] V4 =
    [
        (Net("0.0.0.0/8"), "a 'this network' address"),
        (Net("10.0.0.0/8"), "a private address"),
        (Net("100.64.0.0/10"), "a carrier-grade NAT address"),
        (Net("127.0.0.0/8"), "a loopback address"),
        (Net("169.254.0.0/16"), "a link-local address"),
        (Net("172.16.0.0/12"), "a private address"),
        (Net("192.0.0.0/24"), "a reserved address"),
        (Net("192.0.2.0/24"), "a documentation address"),
        (Net("192.88.99.0/24"), "a reserved address"),
        (Net("192.168.0.0/16"), "a private address"),
        (Net("198.18.0.0/15"), "a benchmarking address"),
        (Net("198.51.100.0/24"), "a documentation address"),
        (Net("203.0.113.0/24"), "a documentation address"),
        (Net("224.0.0.0/4"), "a multicast address"),
        (Net("240.0.0.0/4"), "a reserved address"),
    ];

    private static readonly (IPNetwork Network, string Kind)[] V6 =
    [
        (Net("::/128"), "the unspecified address"),
        (Net("::1/128"), "a loopback address"),
        (Net("::/96"), "a deprecated IPv4-compatible address"),
        (Net("64:ff9b:1::/48"), "a local-use NAT64 address"),
        (Net("100::/64"), "a discard-only address"),
        (Net("2001::/23"), "a reserved (IETF protocol assignment) address"),
        (Net("2001:db8::/32"), "a documentation address"),
        (Net("3fff::/20"), "a documentation address"),
        (Net("5f00::/16"), "a reserved (SRv6) address"),
        (Net("fc00::/7"), "a unique local address"),
        (Net("fe80::/10"), "a link-local address"),
        (Net("fec0::/10"), "a site-local address"),
        (Net("ff00::/8"), "a multicast address"),
    ];

    private static readonly IPNetwork GlobalUnicast = Net("2000::/3");
    private static readonly IPNetwork Nat64 = Net("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = Net("2002::/16");

    /// <summary>Null for a public unicast address, else what kind of address it is (for messages).</summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Match(V4, address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        // Forms that carry an IPv4 address: judged by that address, so ::ffff:127.0.0.1 is loopback.
        if (address.IsIPv4MappedToIPv6)
        {
            return Match(V4, address.MapToIPv4());
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return Match(V4, new IPAddress(bytes.AsSpan(12, 4)));
        }

        if (SixToFour.Contains(address))
        {
            return Match(V4, new IPAddress(bytes.AsSpan(2, 4))) is { } embedded ? "a 6to4 form of " + embedded : null;
        }

        if (Match(V6, address) is { } kind)
        {
            return kind;
        }

        return GlobalUnicast.Contains(address) ? null : "a reserved address";
    }

    /// <summary>The address an allowlist should be compared with: IPv4-mapped IPv6 as plain IPv4.</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string? Match((IPNetwork Network, string Kind)[] table, IPAddress address)
    {
        foreach (var (network, kind) in table)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }

        return null;
    }

    private static IPNetwork Net(string cidr) => IPNetwork.Parse(cidr);
}
