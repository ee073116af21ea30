using System.Net;
using Backcall.Sip.Message;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.Trunks;

/// <summary>
/// The per-source limit applies to strangers only; a trunk's own limit is answered 503 + Retry-After.
/// </summary>
public class RateLimitTests
{
    private static readonly IPEndPoint Stranger = new(IPAddress.Parse("203.0.113.9"), 5060);

    [Fact]
    public async Task A_trusted_trunk_is_never_limited_by_the_per_source_limit()
    {
        await using var stack = new StackHarness(configure: o => (o.RateLimitPerSecond, o.RateLimitBurst) = (1, 3));
        for (var i = 0; i < 50; i++)
        {
            stack.Receive(SipText.Invite(branch: $"z9hG4bK-t{i}", callId: $"t{i}@test"));
        }

        Assert.Equal(50, stack.Handler.Calls.Count);
        Assert.Equal(0, stack.Server.Counters.RateLimited);
    }

    [Fact]
    public async Task Strangers_are_rate_limited_per_source_under_forbidden()
    {
        await using var stack = new StackHarness(configure: o =>
            (o.RateLimitPerSecond, o.RateLimitBurst, o.UntrustedPolicy) = (1, 3, SipUntrustedPolicy.Forbidden));
        stack.Remote = Stranger;
        for (var i = 0; i < 10; i++)
        {
            stack.Receive(
                SipText.Invite(branch: $"z9hG4bK-f{i}", callId: $"f{i}@test", via: "SIP/2.0/UDP 203.0.113.9:5060"));
        }

        Assert.Equal(3, stack.Udp.All.Count(s => s.Status == 403));
        Assert.Equal(7, stack.Server.Counters.RateLimited);

        stack.Remote = new IPEndPoint(IPAddress.Parse("203.0.113.10"), 5060); // another source has its own bucket
        stack.Receive(
            SipText.Invite(branch: "z9hG4bK-other", callId: "other@test", via: "SIP/2.0/UDP 203.0.113.10:5060"));
        Assert.Equal(4, stack.Udp.All.Count);

        stack.Time.Advance(TimeSpan.FromSeconds(1)); // one token back
        stack.Remote = Stranger;
        stack.Receive(
            SipText.Invite(branch: "z9hG4bK-later", callId: "later@test", via: "SIP/2.0/UDP 203.0.113.9:5060"));
        Assert.Equal(5, stack.Udp.All.Count);
        Assert.Empty(stack.Handler.Calls);
    }

    [Fact]
    public async Task Ipv6_strangers_share_one_bucket_per_64()
    {
        await using var stack = new StackHarness(configure: o =>
            (o.RateLimitPerSecond, o.RateLimitBurst, o.UntrustedPolicy) = (1, 2, SipUntrustedPolicy.Forbidden));
        for (var i = 1; i <= 5; i++)
        {
            stack.Remote = new IPEndPoint(IPAddress.Parse($"2001:db8:1:2::{i:x}"), 5060); // five addresses, one /64
            stack.Receive(SipText.Invite(
                branch: $"z9hG4bK-v6{i}", callId: $"v6{i}@test", via: "SIP/2.0/UDP [2001:db8:1:2::1]:5060"));
        }

        Assert.Equal(2, stack.Udp.All.Count);
        Assert.Equal(3, stack.Server.Counters.RateLimited);

        stack.Remote = new IPEndPoint(IPAddress.Parse("2001:db8:1:3::1"), 5060); // the next /64 is someone else
        stack.Receive(
            SipText.Invite(branch: "z9hG4bK-v6n", callId: "v6n@test", via: "SIP/2.0/UDP [2001:db8:1:3::1]:5060"));
        Assert.Equal(3, stack.Udp.All.Count);
    }

    [Fact]
    public async Task A_trunk_over_its_own_limit_gets_503_with_retry_after_never_silence()
    {
        await using var stack = new StackHarness(configure: o => o.Trunks =
            [
                new TrunkOptions
                {
                    Name = "carrier",
                    Sources = ["127.0.0.1"],
                    RateLimitPerSecond = 2,
                    RateLimitBurst = 2,
                },
            ]);
        for (var i = 0; i < 5; i++)
        {
            stack.Receive(SipText.Invite(branch: $"z9hG4bK-l{i}", callId: $"l{i}@test"));
        }

        Assert.Equal(2, stack.Handler.Calls.Count);
        var busy = stack.Udp.All.Where(s => s.Status == 503).Select(s => SipText.ParseResponse(s.Bytes)).ToList();
        Assert.Equal(3, busy.Count); // every request answered: the carrier knows to try elsewhere or later
        Assert.All(busy, r => Assert.Equal("1", r.GetHeader("Retry-After")));
        Assert.Equal(3, stack.Server.Counters.TrunkLimited);
        Assert.Equal(0, stack.Server.Counters.RateLimited);

        // ACK and CANCEL belong to calls already admitted: never limited.
        stack.Receive(SipText.Invite(branch: "z9hG4bK-l0", callId: "l0@test", method: "CANCEL"));
        Assert.Equal(200, stack.Udp.All[^1].Status);

        stack.Time.Advance(TimeSpan.FromSeconds(1)); // two tokens back
        stack.Receive(SipText.Invite(branch: "z9hG4bK-l9", callId: "l9@test"));
        Assert.Equal(3, stack.Handler.Calls.Count);
    }

    [Fact]
    public void The_limiter_remembers_a_bounded_number_of_sources_and_forgets_the_longest_quiet()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var limiter = new Backcall.Sip.Trunks.SourceRateLimiter(1, 1, maxSources: 1000, time);
        var regular = IPAddress.Parse("198.51.100.1");
        Assert.True(limiter.TryAcquire(regular));

        for (var i = 0; i < 100_000; i++)
        {
            // A spoofed flood: every packet from a new address. The regular source keeps talking now and then.
            limiter.TryAcquire(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)));
            if (i % 500 == 0)
            {
                Assert.False(limiter.TryAcquire(regular)); // still remembered: its empty bucket stays empty
            }
        }

        Assert.Equal(1000, limiter.Count);

        // A source heard from longest ago was forgotten: it starts again with a full bucket.
        Assert.True(limiter.TryAcquire(new IPAddress(BitConverter.GetBytes(0x0A000000))));
    }

    [Fact]
    public async Task A_trunks_options_are_answered_amid_thirty_thousand_spoofed_strangers()
    {
        // Issue 12 measured 30,000 spoofed sources tripling the CPU; here the limiter forgets the oldest of them
        // in O(1) and every trusted request is still answered, whatever the flood (counts, not speed).
        await using var stack = new StackHarness(configure: o =>
            (o.UntrustedPolicy, o.RateLimitMaxSources) = (SipUntrustedPolicy.Forbidden, 1000));
        var trunk = stack.Remote;
        var trusted = 0;
        for (var i = 0; i < 30_000; i++)
        {
            stack.Remote = new IPEndPoint(IPAddress.Parse($"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}"), 5060);
            stack.Receive(SipText.Invite(
                branch: $"z9hG4bK-s{i}", callId: $"s{i}@spoof", method: "OPTIONS", via: "SIP/2.0/UDP 10.0.0.1:5060"));
            if (i % 1000 == 0)
            {
                stack.Remote = trunk;
                stack.Receive(SipText.Invite(branch: $"z9hG4bK-q{i}", callId: $"q{i}@trunk", method: "OPTIONS"));
                trusted++;
            }
        }

        Assert.Equal(trusted, stack.Udp.All.Count(s => s.Status == 200 && s.Remote.Equals(trunk)));
        // Each spoofed source's first message: its bucket is full.
        Assert.Equal(30_000, stack.Udp.All.Count(s => s.Status == 403));
        Assert.Equal(0, stack.Server.Counters.RateLimited);
        Assert.Empty(stack.Handler.Calls);
    }
}
