using Backcall.Core.Webhooks;
using Backcall.Server.Webhooks;

namespace Backcall.Server.Tests.Webhooks;

public sealed class WebhookLanesTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_host_gets_at_most_its_share_and_other_hosts_still_start()
    {
        var lanes = new WebhookLanes(maxInFlight: 4, maxPerHost: 2);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(lanes.Offer(Delivery($"slow{i}", "https://slow.example/cb"), Now.AddMinutes(1)));
        }

        Assert.True(lanes.Offer(Delivery("fast", "https://FAST.example/cb"), Now.AddMinutes(1)));
        var started = lanes.TakeStartable(Now, TimeSpan.FromSeconds(20)).Start;

        Assert.Equal(2, started.Count(s => s.Host == "slow.example"));
        Assert.Single(started, s => s.Host == "fast.example");
        Assert.Equal(3, lanes.InFlight);

        // Nothing more for the slow host until one of its own finishes.
        Assert.Empty(lanes.TakeStartable(Now, TimeSpan.FromSeconds(20)).Start);
        lanes.Complete("fast.example");
        Assert.Empty(lanes.TakeStartable(Now, TimeSpan.FromSeconds(20)).Start);
        lanes.Complete("slow.example");
        Assert.Equal("slow2", Assert.Single(lanes.TakeStartable(Now, TimeSpan.FromSeconds(20)).Start).Delivery.Id);
    }

    [Fact]
    public void The_global_limit_holds_across_hosts()
    {
        var lanes = new WebhookLanes(maxInFlight: 3, maxPerHost: 3);
        for (var i = 0; i < 6; i++)
        {
            lanes.Offer(Delivery($"d{i}", $"https://h{i}.example/cb"), Now.AddMinutes(1));
        }

        Assert.Equal(3, lanes.TakeStartable(Now, TimeSpan.FromSeconds(20)).Start.Count);
        Assert.Equal(3, lanes.InFlight);
        Assert.Equal((3 * 4) - 6, lanes.PlanClaim().Limit);
    }

    [Fact]
    public void A_claim_fits_every_lane_and_leaves_out_busy_hosts_until_they_drain_to_half()
    {
        var lanes = new WebhookLanes(maxInFlight: 100, maxPerHost: 2);
        Assert.Equal(10, lanes.MaxHeldPerHost);
        Assert.Equal(10, lanes.PlanClaim().Limit);
        Assert.Empty(lanes.PlanClaim().SkipHosts);

        // Whatever a plan allows, the lanes take: a burst for one host is never claimed only to be refused.
        var limit = lanes.PlanClaim().Limit;
        for (var i = 0; i < limit; i++)
        {
            Assert.True(lanes.Offer(Delivery($"d{i}", "https://one.example/cb"), Now.AddMinutes(1)));
        }

        Assert.False(lanes.Offer(Delivery("extra", "https://one.example/cb"), Now.AddMinutes(1)));
        Assert.Equal(["one.example"], lanes.PlanClaim().SkipHosts);
        Assert.Equal(2, lanes.TakeStartable(Now, TimeSpan.FromSeconds(20)).Start.Count);

        // 10 held, then 6 (5 is half): left out until then, and the finish that reaches it asks for a claim.
        var refills = new List<bool>();
        for (var i = 0; i < 5; i++)
        {
            refills.Add(lanes.Complete("one.example"));
            lanes.TakeStartable(Now, TimeSpan.FromSeconds(20));
        }

        Assert.Equal([false, false, false, false, true], refills);
        var plan = lanes.PlanClaim();
        Assert.Empty(plan.SkipHosts);
        Assert.Equal(10 - 5, plan.Limit);
    }

    [Fact]
    public void A_full_lane_refuses_more_and_a_claim_about_to_end_is_handed_back()
    {
        var lanes = new WebhookLanes(maxInFlight: 10, maxPerHost: 1);
        for (var i = 0; i < lanes.MaxHeldPerHost; i++)
        {
            Assert.True(lanes.Offer(Delivery($"d{i}", "https://one.example/cb"), Now.AddSeconds(i == 0 ? 5 : 60)));
        }

        Assert.False(lanes.Offer(Delivery("extra", "https://one.example/cb"), Now.AddMinutes(1)));

        // d0's claim ends in 5 s, too soon for an attempt of up to 20 s: given back for the next claim.
        var ready = lanes.TakeStartable(Now, TimeSpan.FromSeconds(20));
        Assert.Equal("d1", Assert.Single(ready.Start).Delivery.Id);
        Assert.Equal(["d0"], ready.Expiring);
        Assert.Equal(Enumerable.Range(2, lanes.MaxHeldPerHost - 2).Select(i => $"d{i}"), lanes.TakeAllWaiting());
    }

    [Fact]
    public void A_delivery_is_queued_claimed_only_while_its_lane_and_the_node_have_room()
    {
        var lanes = new WebhookLanes(maxInFlight: 2, maxPerHost: 1);
        Assert.True(lanes.HasRoomFor("https://one.example/cb"));
        for (var i = 0; i < lanes.MaxHeldPerHost; i++)
        {
            lanes.Offer(Delivery($"d{i}", "https://ONE.example/other"), Now.AddMinutes(1));
        }

        // The host's lane is full; another host still has room until the node's is used up.
        Assert.False(lanes.HasRoomFor("https://one.example/cb"));
        Assert.True(lanes.HasRoomFor("https://two.example/cb"));
        for (var i = lanes.MaxHeldPerHost; i < lanes.MaxHeld; i++)
        {
            lanes.Offer(Delivery($"d{i}", $"https://h{i}.example/cb"), Now.AddMinutes(1));
        }

        Assert.False(lanes.HasRoomFor("https://two.example/cb"));
    }

    private static WebhookDelivery Delivery(string id, string url) => new()
    {
        Id = id,
        AuthorizationId = 1,
        TokenId = 1,
        Url = url,
        Success = true,
        Phone = "8",
        CreatedAt = Now,
    };
}
