using System.Net;
using System.Net.Sockets;
using Backcall.Server.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>The guard, the URL policy built on it, and the connect-time check, with a fake resolver (no DNS server is asked).</summary>
public sealed class WebhookAddressGuardTests
{
    [Fact]
    public async Task Every_address_of_a_name_must_pass()
    {
        var guard = Guard([], "mixed.test", "93.184.216.34", "10.0.0.1");
        var ex = await Assert.ThrowsAsync<WebhookRefusedException>(() => guard.ResolveCheckedAsync("mixed.test", default));
        Assert.Contains("10.0.0.1 is a private address", ex.Message, StringComparison.Ordinal);

        var ok = Guard([], "public.test", "93.184.216.34", "2606:4700:4700::1111");
        Assert.Equal(2, (await ok.ResolveCheckedAsync("public.test", default)).Length);
    }

    [Fact]
    public async Task The_allowlist_admits_networks_and_single_addresses_including_mapped_forms()
    {
        var guard = Guard(["127.0.0.0/8", "fd00::/8", "10.1.2.3"], "x.test", "127.0.0.1");
        Assert.Null(guard.Check(IPAddress.Parse("127.0.0.5")));
        Assert.Null(guard.Check(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.Null(guard.Check(IPAddress.Parse("fd00::5")));
        Assert.Null(guard.Check(IPAddress.Parse("10.1.2.3")));
        Assert.NotNull(guard.Check(IPAddress.Parse("10.1.2.4")));
        Assert.NotNull(guard.Check(IPAddress.Parse("::1")));
        Assert.NotNull(guard.Check(IPAddress.Parse("169.254.169.254")));
        Assert.Single(await guard.ResolveCheckedAsync("x.test", default));
    }

    [Fact]
    public async Task Localhost_names_are_loopback_without_asking_dns()
    {
        var guard = new WebhookAddressGuard([], (_, _) => throw new InvalidOperationException("DNS must not be asked"));
        foreach (var host in new[] { "localhost", "LOCALHOST.", "api.localhost" })
        {
            await Assert.ThrowsAsync<WebhookRefusedException>(() => guard.ResolveCheckedAsync(host, default));
        }
    }

    [Fact]
    public async Task Literal_addresses_are_checked_without_resolving()
    {
        var guard = new WebhookAddressGuard([], (_, _) => throw new InvalidOperationException("DNS must not be asked"));
        await Assert.ThrowsAsync<WebhookRefusedException>(() => guard.ResolveCheckedAsync("[::ffff:127.0.0.1]", default));
        await Assert.ThrowsAsync<WebhookRefusedException>(() => guard.ResolveCheckedAsync("169.254.169.254", default));
        Assert.Single(await guard.ResolveCheckedAsync("93.184.216.34", default));
    }

    [Fact]
    public async Task The_url_policy_refuses_with_a_message_and_accepts_public_hosts()
    {
        var policy = new SsrfWebhookUrlPolicy(Guard([], "rebind.test", "192.168.0.10"), NullLogger<SsrfWebhookUrlPolicy>.Instance);
        Assert.Contains("192.168.0.10 is a private address", await policy.ValidateAsync("https://rebind.test/cb", default), StringComparison.Ordinal);
        Assert.NotNull(await policy.ValidateAsync("ftp://93.184.216.34/cb", default));
        Assert.NotNull(await policy.ValidateAsync("https://user:pw@93.184.216.34/cb", default));
        Assert.Null(await policy.ValidateAsync("https://93.184.216.34/cb?x=1", default));

        var missing = new SsrfWebhookUrlPolicy(
            new WebhookAddressGuard([], (_, _) => throw new SocketException((int)SocketError.HostNotFound)),
            NullLogger<SsrfWebhookUrlPolicy>.Instance);
        Assert.Contains("does not resolve", await missing.ValidateAsync("https://nx.test/cb", default), StringComparison.Ordinal);

        var flaky = new SsrfWebhookUrlPolicy(
            new WebhookAddressGuard([], (_, _) => throw new SocketException((int)SocketError.TryAgain)),
            NullLogger<SsrfWebhookUrlPolicy>.Instance);
        Assert.Null(await flaky.ValidateAsync("https://flaky.test/cb", default));
    }

    [Fact]
    public async Task At_delivery_a_name_resolving_to_an_internal_address_is_refused_before_connecting()
    {
        var lookups = 0;
        var guard = new WebhookAddressGuard([], (_, _) =>
        {
            lookups++;
            return Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") });
        });
        using var sender = Sender(guard);

        var result = await sender.SendAsync(new Uri("http://metadata.test/latest/meta-data/"), "msg_1", [Backcall.Core.Tokens.TokenSecrets.NewWebhookSecret()], default);

        Assert.Equal(1, lookups);
        Assert.Null(result.HttpStatus);
        Assert.Contains("refused before connecting", result.Error, StringComparison.Ordinal);
        Assert.Contains("169.254.169.254 is a link-local address", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_delivery_the_connection_goes_to_the_address_that_was_checked()
    {
        await using var receiver = WebhookReceiver.Start();
        var guard = Guard(["127.0.0.0/8"], "receiver.test", "127.0.0.1");
        using var sender = Sender(guard);

        var result = await sender.SendAsync(new Uri($"http://receiver.test:{receiver.Port}/cb?success=True&phone=8&id=1"), "msg_1", [Backcall.Core.Tokens.TokenSecrets.NewWebhookSecret()], default);

        Assert.Equal(200, result.HttpStatus);
        var request = Assert.Single(receiver.Received);
        Assert.Equal($"receiver.test:{receiver.Port}", request.Header("Host"));
        Assert.Equal("/cb?success=True&phone=8&id=1", request.Target);
    }

    internal static WebhookSender Sender(WebhookAddressGuard guard) =>
        new(new WebhookConnector(guard), Microsoft.Extensions.Options.Options.Create(new WebhookOptions { Timeout = TimeSpan.FromSeconds(5) }), TimeProvider.System);

    private static WebhookAddressGuard Guard(string[] allowed, string name, params string[] addresses) =>
        new(allowed, (host, _) => host == name
            ? Task.FromResult(addresses.Select(IPAddress.Parse).ToArray())
            : throw new SocketException((int)SocketError.HostNotFound));
}
