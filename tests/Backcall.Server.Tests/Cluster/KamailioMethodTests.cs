using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Cluster;

/// <summary>What the shipped Kamailio configuration answers itself, without asking a node.</summary>
public sealed class KamailioMethodTests
{
    private static readonly string Config = Path.Combine(RepositoryPaths.Root, "deploy", "kamailio", "kamailio.cfg");

    [Fact]
    public async Task A_method_it_does_not_route_gets_405_with_allow()
    {
        // RFC 3261 §21.4.6: a 405 MUST carry Allow, the methods the server does serve.
        await using var kamailio = await KamailioInstance.StartAsync(
            Config,
            "1 sip:127.0.0.1:9\n",
            new Dictionary<string, string>
            {
                ["CARRIER_NETS"] = "\"127.0.0.0/8\"",
                ["WORKERS"] = "1",
            });
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)udp.Client.LocalEndPoint!;
        var message = $"MESSAGE sip:79640000001@127.0.0.1:{kamailio.Port} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP {local};branch=z9hG4bK-405-{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:79991112233@127.0.0.1>;tag=m1\r\nTo: <sip:79640000001@127.0.0.1>\r\n" +
            "Call-ID: method-405@test\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
        await udp.SendAsync(Encoding.ASCII.GetBytes(message), new IPEndPoint(IPAddress.Loopback, kamailio.Port));

        var reply = Encoding.ASCII.GetString((await udp.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30))).Buffer);
        Assert.StartsWith("SIP/2.0 405", reply, StringComparison.Ordinal);
        var allow = Sip.RawSip.Header(reply, "Allow").Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(["ACK", "BYE", "CANCEL", "INVITE", "OPTIONS"], allow.Order());
    }
}
