using System.Net;
using System.Net.Sockets;
using Backcall.Server.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>
/// The guard, the URL policy built on it, and the connect-time check, with a fake resolver (no DNS server is asked).
/// </summary>
public sealed class WebhookAddressGuardTests
{
    [Fact]
    public async Task Every_address_of_a_name_must_pass()
    {
        var guard = Guard([], "mixed.app.internal", "93.184.216.34", "10.0.0.1");
        var ex = await Assert.ThrowsAsync<WebhookRefusedException>(
            () => guard.ResolveCheckedAsync("mixed.app.internal", default));
        Assert.Contains("10.0.0.1 is a private address", ex.Message, StringComparison.Ordinal);

        var ok = Guard([], "public.app.internal", "93.184.216.34", "2606:4700:4700::1111");
        Assert.Equal(2, (await ok.ResolveCheckedAsync("public.app.internal", default)).Length);
    }

    [Fact]
    public async Task The_allowlist_admits_networks_and_single_addresses_including_mapped_forms()
    {
        var guard = Guard(["127.0.0.0/8", "fd00::/8", "10.1.2.3"], "x.app.internal", "127.0.0.1");
        Assert.Null(guard.Check(IPAddress.Parse("127.0.0.5")));
        Assert.Null(guard.Check(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.Null(guard.Check(IPAddress.Parse("fd00::5")));
        Assert.Null(guard.Check(IPAddress.Parse("10.1.2.3")));
        Assert.NotNull(guard.Check(IPAddress.Parse("10.1.2.4")));
        Assert.NotNull(guard.Check(IPAddress.Parse("::1")));
        Assert.NotNull(guard.Check(IPAddress.Parse("169.254.169.254")));
        Assert.Single(await guard.ResolveCheckedAsync("x.app.internal", default));
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
        await Assert.ThrowsAsync<WebhookRefusedException>(
            () => guard.ResolveCheckedAsync("[::ffff:127.0.0.1]", default));
        await Assert.ThrowsAsync<WebhookRefusedException>(() => guard.ResolveCheckedAsync("169.254.169.254", default));
        Assert.Single(await guard.ResolveCheckedAsync("93.184.216.34", default));
    }

    [Fact]
    public async Task The_url_policy_refuses_with_a_message_and_accepts_public_hosts()
    {
        var policy = new SsrfWebhookUrlPolicy(
            Guard([], "rebind.app.internal", "192.168.0.10"), NullLogger<SsrfWebhookUrlPolicy>.Instance);
        Assert.Contains(
            "192.168.0.10 is a private address",
            await policy.ValidateAsync("https://rebind.app.internal/cb", default),
            StringComparison.Ordinal);
        Assert.NotNull(await policy.ValidateAsync("ftp://93.184.216.34/cb", default));
        Assert.NotNull(await policy.ValidateAsync("https://user:pw@93.184.216.34/cb", default));
        Assert.Null(await policy.ValidateAsync("https://93.184.216.34/cb?x=1", default));

        var missing = new SsrfWebhookUrlPolicy(
            new WebhookAddressGuard([], (_, _) => throw new SocketException((int)SocketError.HostNotFound)),
            NullLogger<SsrfWebhookUrlPolicy>.Instance);
        Assert.Contains(
            "does not resolve",
            await missing.ValidateAsync("https://nx.app.internal/cb", default),
            StringComparison.Ordinal);

        var flaky = new SsrfWebhookUrlPolicy(
            new WebhookAddressGuard([], (_, _) => throw new SocketException((int)SocketError.TryAgain)),
            NullLogger<SsrfWebhookUrlPolicy>.Instance);
        Assert.Null(await flaky.ValidateAsync("https://flaky.app.internal/cb", default));
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

        var result = await sender.SendAsync(
            new Uri("http://metadata.app.internal/latest/meta-data/"),
            "msg_1",
            [Backcall.Core.Tokens.TokenSecrets.NewWebhookSecret()],
            default);

        Assert.Equal(1, lookups);
        Assert.Null(result.HttpStatus);
        Assert.Contains("refused before connecting", result.Error, StringComparison.Ordinal);
        Assert.Contains("169.254.169.254 is a link-local address", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_delivery_the_connection_goes_to_the_address_that_was_checked()
    {
        await using var receiver = WebhookReceiver.Start();
        var guard = Guard(["127.0.0.0/8"], "receiver.app.internal", "127.0.0.1");
        using var sender = Sender(guard);

        var result = await sender.SendAsync(
            new Uri($"http://receiver.app.internal:{receiver.Port}/cb?success=True&phone=8&id=1"),
            "msg_1",
            [Backcall.Core.Tokens.TokenSecrets.NewWebhookSecret()],
            default);

        Assert.Equal(200, result.HttpStatus);
        var request = Assert.Single(receiver.Received);
        Assert.Equal($"receiver.app.internal:{receiver.Port}", request.Header("Host"));
        Assert.Equal("/cb?success=True&phone=8&id=1", request.Target);
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("EXAMPLE.org.")]
    [InlineData("x.example")]
    [InlineData("hooks.test")]
    [InlineData("nowhere.invalid")]
    public async Task Names_reserved_for_documentation_are_accepted_but_never_looked_up_nor_called(string host)
    {
        var guard = new WebhookAddressGuard([], (_, _) => throw new InvalidOperationException("DNS must not be asked"));
        Assert.True(WebhookAddressGuard.IsReservedName(host));

        // Apps' own test suites use such URLs: creating an authorization with one works.
        var policy = new SsrfWebhookUrlPolicy(guard, NullLogger<SsrfWebhookUrlPolicy>.Instance);
        Assert.Null(await policy.ValidateAsync($"https://{host}/cb", default));

        using var sender = Sender(guard);
        var result = await sender.SendAsync(
            new Uri($"https://{host}/cb?success=True&phone=8&id=1"),
            "msg_1",
            [Backcall.Core.Tokens.TokenSecrets.NewWebhookSecret()],
            default);
        Assert.True(result.Permanent);
        Assert.Contains("reserved for documentation", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.co")]
    [InlineData("myexample.com")]
    [InlineData("test.app.internal")]
    [InlineData("contest")]
    public void Other_names_are_not_reserved(string host) => Assert.False(WebhookAddressGuard.IsReservedName(host));

    internal static WebhookSender Sender(WebhookAddressGuard guard) =>
        new(
            new WebhookConnector(guard),
            Microsoft.Extensions.Options.Options.Create(new WebhookOptions { Timeout = TimeSpan.FromSeconds(5) }),
            TimeProvider.System);

    private static WebhookAddressGuard Guard(string[] allowed, string name, params string[] addresses) =>
        new(allowed, (host, _) => host == name
            ? Task.FromResult(addresses.Select(IPAddress.Parse).ToArray())
            : throw new SocketException((int)SocketError.HostNotFound));
}
