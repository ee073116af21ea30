using System.Net;
using System.Net.Sockets;
using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Webhooks;

/// <summary>
/// The one place that decides which addresses a webhook may reach: resolves a host (as the connection
/// will) and admits it only when every address is public or inside <see cref="WebhookOptions.AllowedNetworks"/>.
/// Used both when a webhook is registered and at connect time.
/// </summary>
public sealed class WebhookAddressGuard
{
    private readonly IPNetwork[] _allowed;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public WebhookAddressGuard(IOptions<WebhookOptions> options)
        : this(options.Value.AllowedNetworks, null)
    {
    }

    /// <param name="resolve">Name resolution; null: the operating system's (tests give a fake one).</param>
    public WebhookAddressGuard(
        IEnumerable<string> allowedNetworks,
        Func<string, CancellationToken, Task<IPAddress[]>>? resolve)
    {
        // Validated at start (WebhookOptionsValidator); a bad entry here is a programming error.
        _allowed = [.. NetworkList.Parse(allowedNetworks)];
        _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));
    }

    /// <summary>
    /// Names reserved for documentation and testing (RFC 2606, RFC 6761): <c>example.com</c>, <c>.net</c>,
    /// <c>.org</c> and the <c>.example</c>, <c>.test</c> and <c>.invalid</c> domains. A webhook there is
    /// never meant to be called, so it is never looked up nor called: apps' test suites can use such URLs
    /// without the server asking DNS or connecting anywhere.
    /// </summary>
    public static bool IsReservedName(string host)
    {
        var name = host.TrimEnd('.').ToLowerInvariant();
        string[] reserved = ["example.com", "example.net", "example.org", "example", "test", "invalid"];
        return reserved.Any(r => name == r || name.EndsWith("." + r, StringComparison.Ordinal));
    }

    /// <summary>Null when the address may be reached, else why not.</summary>
    public string? Check(IPAddress address)
    {
        var kind = WebhookAddressClassifier.Classify(address);
        if (kind is null)
        {
            return null;
        }

        var canonical = WebhookAddressClassifier.Canonical(address);
        foreach (var network in _allowed)
        {
            if (network.Contains(canonical) || network.Contains(address))
            {
                return null;
            }
        }

        return $"{canonical} is {kind}";
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> (an IP literal or a name), every one of them checked.
    /// Throws <see cref="WebhookRefusedException"/> if any is refused, or if the name does not resolve.
    /// </summary>
    public async Task<IPAddress[]> ResolveCheckedAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new WebhookRefusedException($"webhook host {host} has no address");
        }

        foreach (var address in addresses)
        {
            // One bad address refuses the host: the client could be steered to any of them.
            if (Check(address) is { } reason)
            {
                throw new WebhookRefusedException($"webhook host {host} is not allowed: {reason}");
            }
        }

        return addresses;
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        var name = host.TrimEnd('.').ToLowerInvariant();

        // RFC 6761: these names are loopback, whatever a DNS server might answer; no need to ask one.
        if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }

        if (IsReservedName(name))
        {
            throw new WebhookRefusedException(
                $"webhook host {host} is a name reserved for documentation and testing (RFC 2606), so it is not called",
                permanent: true);
        }

        try
        {
            return await _resolve(name, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
        {
            throw new WebhookRefusedException($"webhook host {host} does not resolve", ex);
        }
    }
}
