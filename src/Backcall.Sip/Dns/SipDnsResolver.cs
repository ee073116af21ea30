using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Backcall.Sip.Dns;

/// <summary>
/// Host names as SIP resolves them (RFC 3263 §4 for a known transport: SRV, then A/AAAA), through the
/// configured DNS servers or the system's. Every answer comes with the time to live that bounds its reuse.
/// </summary>
internal sealed class SipDnsResolver
{
    /// <summary>Shortest reuse of an answer, so a zero TTL cannot turn into a query per packet.</summary>
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(5);

    /// <summary>Longest reuse, so a provider's change of address is seen within the hour whatever it says.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);

    private readonly Lazy<LookupClient> _lookup;

    /// <param name="servers">DNS servers to ask; empty for the system's (read only when a name is first
    /// resolved).</param>
    public SipDnsResolver(IReadOnlyList<IPEndPoint> servers)
    {
        _lookup = new Lazy<LookupClient>(() =>
        {
            var options = servers.Count == 0
                ? new LookupClientOptions()
                : new LookupClientOptions(servers.Select(s => new NameServer(s)).ToArray());
            options.UseCache = false; // TTLs are honoured by the callers, which re-resolve when they run out
            options.Timeout = TimeSpan.FromSeconds(3);
            options.Retries = 2;
            options.ThrowDnsErrors = false;
            options.ContinueOnDnsError = true;
            return new LookupClient(options);
        });
    }

    private LookupClient Client => _lookup.Value;

    /// <summary>Parses <c>Sip:DnsServers</c>: comma-separated <c>address[:port]</c> (port 53 by default).</summary>
    /// <exception cref="FormatException">An entry is not an address.</exception>
    public static IReadOnlyList<IPEndPoint> ParseServers(string? servers)
    {
        var list = new List<IPEndPoint>();
        foreach (
            var entry in (servers ?? "").Split(
                ',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                list.Add(new IPEndPoint(address, 53));
            }
            else if (IPEndPoint.TryParse(entry, out var endpoint) && endpoint.Port != 0)
            {
                list.Add(endpoint);
            }
            else
            {
                throw new FormatException($"'{entry}' is not a DNS server address[:port] (e.g. 127.0.0.1:5353).");
            }
        }

        return list;
    }

    /// <summary>
    /// The addresses to try for a SIP server, best first: an address literal as is; a name with a port by
    /// A/AAAA; a name without one by its SRV records for the transport (RFC 3263 §4.2: priority, then weight),
    /// or A/AAAA on the default port when it has none.
    /// </summary>
    public async Task<DnsAnswer<IPEndPoint>> ResolveServerAsync(
        string host,
        int? port,
        SipTransportName transport,
        CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return new([new IPEndPoint(literal, port ?? transport.DefaultPort)], MaxTtl);
        }

        if (port is { } explicitPort)
        {
            var addresses = await ResolveHostAsync(host, cancellationToken).ConfigureAwait(false);
            return new(addresses.Values.Select(a => new IPEndPoint(a, explicitPort)).ToArray(), addresses.Ttl);
        }

        var srv = await Client
            .QueryAsync(transport.SrvPrefix + host, QueryType.SRV, QueryClass.IN, cancellationToken)
            .ConfigureAwait(false);
        var records = srv.Answers.SrvRecords().ToList();
        if (records.Count == 0)
        {
            var addresses = await ResolveHostAsync(host, cancellationToken).ConfigureAwait(false);
            return new(addresses.Values.Select(a => new IPEndPoint(a, transport.DefaultPort)).ToArray(), addresses.Ttl);
        }

        var endpoints = new List<IPEndPoint>();
        var ttl = Clamp(records.Min(r => r.TimeToLive));
        foreach (var record in records.OrderBy(r => r.Priority).ThenByDescending(r => r.Weight))
        {
            var target = record.Target.Value.TrimEnd('.');
            var addresses = await ResolveHostAsync(target, cancellationToken).ConfigureAwait(false);
            endpoints.AddRange(addresses.Values.Select(a => new IPEndPoint(a, record.Port)));
            ttl = addresses.Values.Count > 0 && addresses.Ttl < ttl ? addresses.Ttl : ttl;
        }

        return new(endpoints, ttl);
    }

    /// <summary>A and AAAA records of a name (IPv4 first); an empty list when it has none.</summary>
    public async Task<DnsAnswer<IPAddress>> ResolveHostAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return new([literal], MaxTtl);
        }

        var a = await Client.QueryAsync(host, QueryType.A, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        var aaaa = await Client
            .QueryAsync(host, QueryType.AAAA, QueryClass.IN, cancellationToken)
            .ConfigureAwait(false);
        var records = a
            .Answers.ARecords()
            .Select(r => (r.Address, r.TimeToLive))
            .Concat(aaaa.Answers.AaaaRecords().Select(r => (r.Address, r.TimeToLive)))
            .ToList();
        if (records.Count == 0)
        {
            var error = a.HasError ? a.ErrorMessage : aaaa.HasError ? aaaa.ErrorMessage : "no A or AAAA record";
            return new([], MinTtl, $"{host}: {error}");
        }

        return new(records.Select(r => r.Address).Distinct().ToArray(), Clamp(records.Min(r => r.TimeToLive)));
    }

    private static TimeSpan Clamp(int seconds)
    {
        var ttl = TimeSpan.FromSeconds(seconds);
        return ttl < MinTtl ? MinTtl : ttl > MaxTtl ? MaxTtl : ttl;
    }
}

/// <summary>Resolved values and how long they may be reused; <see cref="Error"/> says why there are none.</summary>
internal sealed record DnsAnswer<T>(IReadOnlyList<T> Values, TimeSpan Ttl, string? Error = null);

/// <summary>The transport's names for RFC 3263: SRV prefix and default port.</summary>
internal readonly record struct SipTransportName(string Name)
{
    public static readonly SipTransportName Udp = new("udp");
    public static readonly SipTransportName Tcp = new("tcp");
    public static readonly SipTransportName Tls = new("tls");

    public string SrvPrefix => Name == "tls" ? "_sips._tcp." : $"_sip._{Name}.";

    public int DefaultPort => Name == "tls" ? 5061 : SipEndpoint.DefaultPort;

    public override string ToString() => Name;

    public static bool TryParse(string? text, out SipTransportName transport)
    {
        transport = (text ?? "").Trim().ToLowerInvariant() switch
        {
            "udp" or "" => Udp,
            "tcp" => Tcp,
            "tls" => Tls,
            _ => default,
        };
        return transport.Name is not null;
    }
}
