using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Server.Tests.Webhooks;
using Xunit.Abstractions;

namespace Backcall.Server.Tests.Cluster;

/// <summary>Webhook delivery by several real nodes sharing one real PostgreSQL outbox.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterWebhookTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["BACKCALL_Webhooks__AllowedNetworks__0"] = "127.0.0.0/8",
        ["BACKCALL_Webhooks__PollInterval"] = "00:00:00.100",
        ["BACKCALL_Webhooks__FirstRetryDelay"] = "00:00:00.200",
        ["BACKCALL_Webhooks__Timeout"] = "00:00:01",
        ["BACKCALL_Webhooks__Jitter"] = "0",
    };

    [Fact]
    public async Task Each_webhook_is_delivered_by_exactly_one_node()
    {
        // An attempt that outlives its timeout is retried, by design (at least once, same webhook-id): on a loaded
        // machine 1 s can pass before the receiver's answer is read. What is tested is that two nodes never both
        // deliver one item, so no attempt here may time out.
        var settings = new Dictionary<string, string>(Settings) { ["BACKCALL_Webhooks__Timeout"] = "00:00:30" };
        var (_, nodes) = await fixture.StartClusterAsync(2, settings);
        await using var a = nodes[0];
        await using var b = nodes[1];
        await using var receiver = WebhookReceiver.Start();
        await a.AddNumbersAsync("+79640000001", "+79640000002");
        var (token, _, _) = await a.CreateTokenAsync(extra: new { free_requests = 100 });
        await ClusterFixture.WaitUntilKnownAsync(b, token);

        const int count = 20;
        for (var i = 0; i < count; i++)
        {
            // Created on one node, confirmed on the other: both nodes' dispatchers see every delivery.
            var (creator, confirmer) = i % 2 == 0 ? (a, b) : (b, a);
            var phone = $"8900555{i:D4}";
            var created = await PostAsync(creator, token, phone, receiver.Url($"/hook/{i}"));
            var call = await confirmer.ReportCallAsync(
                "+7" + phone[1..], "+" + created["data"]!["auth_phone"]!.GetValue<string>());
            Assert.Equal("matched", call["outcome"]!.GetValue<string>());
        }

        for (var i = 0; i < count; i++)
        {
            await receiver.WaitForAsync(
                r => r.Target.StartsWith($"/hook/{i}?", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30),
                $"webhook {i}");
        }

        // Give a duplicate every chance to show up: several poll intervals of both nodes.
        await Task.Delay(1500);
        var ids = receiver.Received.Select(r => r.Header("webhook-id")).ToList();
        Assert.Equal(count, ids.Count);
        Assert.Equal(count, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_delivery_claimed_by_a_node_killed_mid_delivery_is_made_by_another_node_after_the_lease()
    {
        // A long attempt timeout: node A must still be waiting for the receiver when it is killed.
        var settings = new Dictionary<string, string>(Settings) { ["BACKCALL_Webhooks__Timeout"] = "00:00:05" };
        var (database, nodes) = await fixture.StartClusterAsync(1, settings);
        await using var a = nodes[0];
        await using var receiver = WebhookReceiver.Start();
        var attempts = 0;
        receiver.Reply = _ => Interlocked.Increment(ref attempts) == 1 ? ReceiverReply.NoAnswer : ReceiverReply.Ok;
        await a.AddNumbersAsync("+79640000001");
        var (token, _, _) = await a.CreateTokenAsync();
        var created = await PostAsync(a, token, "89005550001", receiver.Url("/hook"));
        await a.ReportCallAsync("+79005550001", "+" + created["data"]!["auth_phone"]!.GetValue<string>());

        // Node A is in the middle of the delivery (the receiver holds the request): kill it there.
        var first = await receiver.WaitForAsync(_ => true, TimeSpan.FromSeconds(30), "the first attempt");
        await a.KillAsync();
        var killedAt = DateTime.UtcNow;

        await using var b = await ClusterFixture.StartNodeAsync(database, settings);
        var second = await receiver.WaitForAsync(
            r => r.Index != first.Index, TimeSpan.FromSeconds(90), "the attempt by node B");
        output.WriteLine($"node B delivered {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after node A was killed"
            + " (claim lease: Webhooks:Timeout + 30 s)");
        Assert.Equal(first.Header("webhook-id"), second.Header("webhook-id"));
        Assert.True(DateTime.UtcNow - killedAt > TimeSpan.FromSeconds(20), "node B must wait for node A's claim lease");
    }

    private static async Task<JsonNode> PostAsync(BackcallProcess node, string token, string phone, string webhook)
    {
        using var client = node.CreateClient();
        using var response = await client.PostAsJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_post", new { phone, webhook });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }
}
