using System.Diagnostics;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Sip;
using Backcall.Testing;
using Xunit.Abstractions;

namespace Backcall.Server.Tests.Cluster;

/// <summary>
/// The shipped deploy/kamailio/kamailio.cfg, run by a real Kamailio, in front of two real backcall nodes on
/// one real PostgreSQL database; calls are real SIP INVITEs sent to Kamailio on loopback.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KamailioClusterTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(30);
    private static readonly string Config = Path.Combine(RepositoryPaths.Root, "deploy", "kamailio", "kamailio.cfg");
    private static readonly string[] Pool = ["+79640000001", "+79640000002", "+79640000003"];

    /// <summary>Which node handled a call is read from its per-call lines, logged at Debug.</summary>
    private static readonly Dictionary<string, string> SipLinesLogged =
        new() { ["Logging__LogLevel__Backcall.Server.Sip"] = "Debug" };

    [Fact]
    public async Task Calls_through_kamailio_are_spread_over_the_nodes_and_survive_a_killed_node()
    {
        var nodes = (await fixture.StartClusterAsync(2, SipLinesLogged)).Nodes;
        await using var a = nodes[0];
        await using var b = nodes[1];
        await a.AddNumbersAsync(Pool);
        var (token, _, _) = await a.CreateTokenAsync(extra: new { free_requests = 1000 });
        await ClusterFixture.WaitUntilKnownAsync(b, token);

        var list = string.Join('\n', nodes.Select(n => $"1 sip:{n.Announced["sip udp"]}")) + "\n";
        await using var kamailio = await KamailioInstance.StartAsync(Config, list, new Dictionary<string, string>
        {
            ["CARRIER_NETS"] = "\"127.0.0.0/8\"",
            ["NODE_TIMEOUT"] = "1000",
            ["PROBE_INTERVAL"] = "1",
            ["WORKERS"] = "2",
        });
        var proxy = SipEndpoint.Parse($"udp:127.0.0.1:{kamailio.Port}");
        var sip = new SipCallClient { T1 = TimeSpan.FromMilliseconds(250) };

        // Both nodes up: every call is rejected as Backcall rejects calls, confirms, and both nodes take calls.
        // Each authorization is made on A and its call follows at once, so a call routed to B often gets there
        // before B's change feed has brought the authorization (a few ms; tens under load): B must match it
        // from the database. Without that, this loop failed at its fifth call in most runs ("never confirmed",
        // B logging no_live_authorization for the user's own call).
        for (var i = 0; i < 6; i++)
        {
            await CallAndConfirmAsync(a, token, sip, proxy, $"+7900111220{i}", nodes, kamailio);
        }

        Assert.True(
            await Wait.UntilAsync(() => HandledInvites(a) > 0 && HandledInvites(b) > 0),
            $"A handled {HandledInvites(a)}, B handled {HandledInvites(b)}");

        // Node A dies without a word: calls keep being confirmed, by B, and checks on B say so.
        await a.KillAsync();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 6; i++)
        {
            var elapsed = await CallAndConfirmAsync(b, token, sip, proxy, $"+7900111230{i}", nodes, kamailio);
            output.WriteLine($"call {i} after the kill: answered in {elapsed.TotalMilliseconds:0} ms");
        }

        output.WriteLine(
            $"6 calls confirmed through Kamailio in {clock.Elapsed.TotalMilliseconds:0} ms after node A was killed");
        var failovers = kamailio.Output.Count(l => l.Contains("trying the next", StringComparison.Ordinal));
        output.WriteLine($"Kamailio failovers: {failovers}");
    }

    [Fact]
    public async Task Kamailio_refuses_requests_from_outside_the_carrier_networks()
    {
        var nodes = (await fixture.StartClusterAsync(1, SipLinesLogged)).Nodes;
        await using var a = nodes[0];
        await using var kamailio = await KamailioInstance.StartAsync(
            Config,
            $"1 sip:{a.Announced["sip udp"]}\n",
            new Dictionary<string, string>
            {
                ["CARRIER_NETS"] = "\"192.0.2.0/24\"",
                ["WORKERS"] = "1",
            });

        var result = await new SipCallClient { T1 = TimeSpan.FromMilliseconds(250) }
            .CallAsync(SipEndpoint.Parse($"udp:127.0.0.1:{kamailio.Port}"), "+79001234567", Pool[0]);
        Assert.Equal(403, result.StatusCode);
        Assert.Equal(0, HandledInvites(a));
    }

    /// <summary>
    /// Creates an authorization on <paramref name="node"/>, calls its number through Kamailio, and waits for the
    /// check to say ok.
    /// </summary>
    private static async Task<TimeSpan> CallAndConfirmAsync(
        BackcallProcess node,
        string token,
        SipCallClient sip,
        SipEndpoint proxy,
        string phone,
        BackcallProcess[] nodes,
        KamailioInstance kamailio)
    {
        using var client = node.CreateClient();
        var (status, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={Uri.EscapeDataString(phone)}");
        Assert.True(status == 200, created.ToJsonString());
        var id = created["data"]!["id"]!.GetValue<long>();
        var number = "+" + created["data"]!["auth_phone"]!.GetValue<string>();

        var result = await sip.CallAsync(proxy, phone, number);
        Assert.False(result.TimedOut, $"no final answer through Kamailio\n{Trace(result.CallId, nodes, kamailio)}");
        Assert.True(
            result.StatusCode == 486,
            $"answered {result.StatusCode} through Kamailio\n{Trace(result.CallId, nodes, kamailio)}");

        JsonNode check = new JsonObject();
        var confirmed = await Wait.UntilAsync(
            async () =>
            {
                (_, check, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
                return check["data"]?["status"]?.GetValue<string>() == "ok";
            },
            Propagation);
        Assert.True(
            confirmed,
            $"authorization {id} was never confirmed: {check.ToJsonString()}\n"
                + Trace(result.CallId, nodes, kamailio));
        return result.Elapsed;
    }

    /// <summary>What the nodes and Kamailio logged about one call, for a failure message.</summary>
    private static string Trace(string callId, BackcallProcess[] nodes, KamailioInstance kamailio) =>
        string.Join(
            '\n',
            nodes.SelectMany((n, i) => n.Output
                    .Where(l => l.Contains(callId, StringComparison.Ordinal))
                    .Select(l => $"node {i}: {l}"))
                .Concat(kamailio.Output
                    .Where(l => l.Contains(callId, StringComparison.Ordinal)
                        || l.Contains("Backcall node", StringComparison.Ordinal))
                    .Select(l => $"kamailio: {l}")));

    private static int HandledInvites(BackcallProcess node) =>
        node.Output.Count(l =>
            l.Contains("SIP INVITE", StringComparison.Ordinal) && l.Contains("matched", StringComparison.Ordinal));
}
