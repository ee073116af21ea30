using System.Net;

namespace Backcall.Sip.Tests.Server;

public class OptionsTests
{
    [Theory]
    [InlineData("udp:0.0.0.0:5060,tcp:0.0.0.0:5060", 2)]
    [InlineData("udp:[::1]:5060", 1)]
    [InlineData(" udp:127.0.0.1 , TCP:[::]:0 ", 2)]
    public void Endpoint_lists_parse(string spec, int count) => Assert.Equal(count, SipEndpoint.ParseList(spec).Count);

    [Fact]
    public void Endpoint_parts_and_round_trip()
    {
        var endpoint = SipEndpoint.Parse("udp:[::1]:5070");
        Assert.Equal(
            (SipTransport.Udp, IPAddress.IPv6Loopback, 5070),
            (endpoint.Transport, endpoint.EndPoint.Address, endpoint.EndPoint.Port));
        Assert.Equal("udp:[::1]:5070", endpoint.ToString());
        Assert.Equal(5060, SipEndpoint.Parse("tcp:10.0.0.1").EndPoint.Port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("sctp:0.0.0.0:5060", "unknown transport 'sctp'")]
    [InlineData("udp:::1:5060", "IPv6 addresses must be in brackets")]
    [InlineData("udp:[::1:5060", "missing ']'")]
    [InlineData("udp:localhost:5060", "is not an IP address")]
    [InlineData("udp:0.0.0.0:70000", "port '70000'")]
    [InlineData("0.0.0.0:5060", "unknown transport '0.0.0.0'")]
    [InlineData("udp:1.2.3.4:5060,udp:1.2.3.4:5060", "listed twice")]
    public void Endpoint_errors_say_what_is_wrong(string spec, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => SipEndpoint.ParseList(spec));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var options = new SipOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(
            (486, SipUntrustedPolicy.Drop, 65536),
            (options.RejectCode, options.UntrustedPolicy, options.MaxMessageSize));
        Assert.Equal(
            (TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)),
            (options.T1, options.T2, options.T4));
        var trunk = new TrunkOptions();
        Assert.Equal(
            ("RU", false, false, CalledNumberSource.RequestUri),
            (trunk.Region, trunk.TrustPai, trunk.AllowRedirected, trunk.CalledFrom));
    }

    [Fact]
    public void Validation_reports_every_problem()
    {
        var options = new SipOptions
        {
            Endpoints = "udp:nowhere",
            RejectCode = 200,
            T1 = TimeSpan.Zero,
            Trunks =
            [
                new TrunkOptions { Name = "", Sources = ["300.1.2.3"] },
                new TrunkOptions { Name = "a", Sources = [] },
            ],
        };
        var errors = options.Validate();
        Assert.Equal(6, errors.Count);
        Assert.Throws<ArgumentException>(() => new SipServer(options, new Support.TestInviteHandler()));
    }

    [Fact]
    public async Task Default_trunk_is_local()
    {
        await using var server = new SipServer(
            new SipOptions { Endpoints = "udp:127.0.0.1:0" }, new Support.TestInviteHandler());
        var trunk = Assert.Single(server.Trunks);
        Assert.Equal("local", trunk.Name);
        Assert.Contains(trunk.Sources, n => n.Contains(IPAddress.IPv6Loopback));
    }

    [Fact]
    public async Task A_port_in_use_fails_the_start_and_stop_and_dispose_stay_safe()
    {
        using var taken = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.Client.LocalEndPoint!).Port;
        var server = new SipServer(
            new SipOptions { Endpoints = $"udp:127.0.0.1:{port}" }, new Support.TestInviteHandler());
        await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => server.StartAsync());
        await server.StopAsync();
        await server.DisposeAsync();
        Assert.Empty(server.BoundEndpoints);
    }
}
