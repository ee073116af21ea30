using System.Net.Sockets;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// The default SIP endpoints are dual-stack: one [::] socket per transport hears IPv6 and IPv4 trunks.
/// </summary>
public sealed class DualStackTests
{
    [Fact]
    public void The_default_endpoints_are_dual_stack() =>
        Assert.Equal("udp:[::]:5060,tcp:[::]:5060", new Backcall.Sip.SipOptions().Endpoints);

    [Fact]
    public async Task A_dual_stack_listener_answers_ipv4_and_ipv6_callers()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return; // nothing to prove on a machine without IPv6 (the server then says it listens on IPv4 only)
        }

        await using var server = await BackcallProcess.StartAsync(["--sip", "udp:[::]:0,tcp:[::]:0"]);
        var port = server.Announced["sip udp"].Split(':')[^1];

        foreach (var address in new[] { $"127.0.0.1:{port}", $"[::1]:{port}" })
        {
            var result = await server.RunCliAsync(
                "call", "--from", "89001234567", "--to", "79640000001", "--server", address);
            Assert.True(result.ExitCode == 0, address + ": " + result);
            Assert.StartsWith("486 Busy Here", result.Stdout, StringComparison.Ordinal);
        }
    }
}
