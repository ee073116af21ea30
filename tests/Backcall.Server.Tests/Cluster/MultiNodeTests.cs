using System.Diagnostics;
using Backcall.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Backcall.Server.Tests.Cluster;

/// <summary>Two real backcall processes on one real PostgreSQL database, as two nodes of a deployment.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MultiNodeTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_call_to_node_B_confirms_what_node_A_created_and_A_answers_ok_from_memory()
    {
        var (a, b, token) = await TwoNodesWithATokenAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        using var clientA = a.CreateClient();

        var latencies = new List<double>();
        for (var round = 0; round < 10; round++)
        {
            var phone = $"8900123450{round}";
            var (status, created, _) = await clientA.GetJsonAsync(
                $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={phone}");
            Assert.Equal(200, status);
            var id = created["data"]!["id"]!.GetValue<long>();
            var number = "+" + created["data"]!["auth_phone"]!.GetValue<string>();

            // Node B matches from memory: it must have learned of the authorization node A just created.
            var call = await b.ReportCallAsync("+7" + phone[1..], number, $"cross-{round}");
            Assert.Equal("matched", call["outcome"]!.GetValue<string>());
            Assert.Equal(id, call["authorization_id"]!.GetValue<long>());

            // Node A answers its check from memory too: the confirmation made on B reaches it by NOTIFY.
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var (_, check, _) = await clientA.GetJsonAsync(
                    $"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
                if (check["data"]?["status"]?.GetValue<string>() == "ok")
                {
                    Assert.Equal(phone, check["data"]!["phone"]!.GetValue<string>());
                    break;
                }

                Assert.True(clock.Elapsed < Propagation, "node A never saw the confirmation: " + check.ToJsonString());
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        // The 100 ms promise is a speed figure: it is printed here and measured by the benchmarks, not
        // asserted, because a timed assertion fails on a busy CI machine without anything being wrong.
        latencies.Sort();
        output.WriteLine("cross-node confirmation visible on A after: "
            + $"median {latencies[latencies.Count / 2]:0.0} ms, max {latencies[^1]:0.0} ms");
    }

    /// <summary>Two nodes on the shared database, one pool number, and a token both nodes know.</summary>
    private async Task<(BackcallProcess A, BackcallProcess B, string Token)> TwoNodesWithATokenAsync()
    {
        var nodes = await fixture.StartNodesAsync(2);
        await nodes[0].AddNumbersAsync("+79640000001");
        var (token, _, _) = await nodes[0].CreateTokenAsync();
        await ClusterFixture.WaitUntilKnownAsync(nodes[1], token);
        return (nodes[0], nodes[1], token);
    }

    [Fact]
    public async Task Two_nodes_never_hand_out_the_same_number_to_the_same_phone()
    {
        var (a, b, token) = await TwoNodesWithATokenAsync();
        await using var nodeA = a;
        await using var nodeB = b;
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        // Two apps: one app's newer request supersedes its own older one (issue 10), so the race for the one
        // number is between two tenants, as in production.
        var (other, _, _) = await b.CreateTokenAsync();
        await ClusterFixture.WaitUntilKnownAsync(a, other);
        await ClusterFixture.WaitUntilKnownAsync(b, other);

        for (var round = 0; round < 10; round++)
        {
            var query = $"reverse_auth_phone_get?phone=8900765430{round}";
            var answers = await Task.WhenAll(
                clientA.GetJsonAsync($"api/v1/authcalls/{token}/{query}"),
                clientB.GetJsonAsync($"api/v1/authcalls/{other}/{query}"));
            var statuses = answers.Select(x => x.Status).Order().ToArray();
            Assert.Equal([200, 503], statuses);
        }
    }

    [Fact]
    public async Task Tokens_and_numbers_changed_through_one_node_or_the_cli_reach_the_others()
    {
        var (database, nodes) = await fixture.StartClusterAsync(2);
        await using var a = nodes[0];
        await using var b = nodes[1];
        var (token, id, _) = await b.CreateTokenAsync();
        await ClusterFixture.WaitUntilKnownAsync(a, token);

        // The CLI is one more process on the database.
        var cli = await a.RunCliAsync(
            "token", "disable", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", database);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        using var clientA = a.CreateClient();
        var clock = Stopwatch.StartNew();
        while ((await clientA.GetJsonAsync($"api/v1/authcalls/{token}/get_balance")).Status != 401)
        {
            Assert.True(clock.Elapsed < Propagation, "node A still accepts the disabled token");
            await Task.Delay(10);
        }

        output.WriteLine($"token disabled by the CLI refused by node A after {clock.Elapsed.TotalMilliseconds:0} ms");
    }
}
