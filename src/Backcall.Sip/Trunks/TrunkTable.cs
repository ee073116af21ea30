using System.Net;

namespace Backcall.Sip.Trunks;

/// <summary>Maps a source address to its trunk by longest matching prefix (ties: first configured).</summary>
internal sealed class TrunkTable
{
    private readonly Lock _update = new();
    private (IPNetwork Network, SipTrunk Trunk)[] _entries;

    public TrunkTable(IEnumerable<SipTrunk> trunks)
    {
        Trunks = trunks.ToArray();
        _entries = Build(Trunks.SelectMany(t => t.Sources.Select(n => (Network: n, Trunk: t))));
    }

    public IReadOnlyList<SipTrunk> Trunks { get; }

    /// <summary>Host names among the trunks' sources.</summary>
    public IEnumerable<string> HostSources =>
        Trunks.SelectMany(t => t.HostSources).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Rebuilds the table with the current addresses of the trunks' host-name sources (as host routes).
    /// </summary>
    public void UpdateHostSources(Func<string, IReadOnlyList<IPAddress>> addresses)
    {
        lock (_update) // two names re-resolved at once: the later rebuild must see both
        {
            Volatile.Write(
                ref _entries,
                Build(
                    Trunks.SelectMany(t =>
                        t.Sources.Select(n => (Network: n, Trunk: t))
                            .Concat(
                                t.HostSources.SelectMany(addresses)
                                    .Select(a =>
                                        (Network: new IPNetwork(a, a.GetAddressBytes().Length * 8), Trunk: t))))));
        }
    }

    private static (IPNetwork Network, SipTrunk Trunk)[] Build(
        IEnumerable<(IPNetwork Network, SipTrunk Trunk)> entries) =>
        entries
            .Select((e, order) => (e.Network, e.Trunk, order))
            .OrderByDescending(e => e.Network.PrefixLength)
            .ThenBy(e => e.order)
            .Select(e => (e.Network, e.Trunk))
            .ToArray();

    public static TrunkTable FromOptions(SipOptions options) =>
        new(
            options.Trunks.Count == 0 && options.Registrations.Count == 0
                ? [SipTrunk.Local]
                : options.Trunks.Select(SipTrunk.FromOptions));

    /// <summary>The trunk a packet from <paramref name="address"/> belongs to.</summary>
    public SipTrunk? Find(IPAddress address) => Find(address, includeProxies: true);

    /// <summary>
    /// The trunk an original source named by a proxy belongs to. Proxies are left out: a proxy's own address
    /// (or a CIDR around it) must not turn a forwarded call into one the proxy vouches for, and one header
    /// cannot hand the decision on to yet another proxy.
    /// </summary>
    public SipTrunk? FindOrigin(IPAddress address) => Find(address, includeProxies: false);

    private SipTrunk? Find(IPAddress address, bool includeProxies)
    {
        // Dual-mode IPv6 sockets report IPv4 peers as ::ffff:a.b.c.d; trunks are configured as plain IPv4.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var (network, trunk) in Volatile.Read(ref _entries))
        {
            if ((includeProxies || !trunk.IsProxy) && network.Contains(address))
            {
                return trunk;
            }
        }

        return null;
    }
}
