using System.Diagnostics;
using Backcall.Sip.Tests.Support;
using Xunit.Abstractions;

namespace Backcall.Sip.Tests.Server;

/// <summary>
/// Functional load check: many concurrent INVITE transactions, each answered once and cleaned up by its timers.
/// </summary>
public class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Twenty_thousand_invites_are_each_answered_and_expire()
    {
        const int calls = 20_000;
        await using var stack = new StackHarness(configure: o => o.RateLimitPerSecond = 0);
        var invites = Enumerable.Range(0, calls)
            .Select(i => SipText.Bytes(SipText.Invite(branch: $"z9hG4bK-load{i}", callId: $"load{i}@test")))
            .ToArray();

        var watch = Stopwatch.StartNew();
        foreach (var invite in invites)
        {
            stack.Receive(invite);
        }

        watch.Stop();
        output.WriteLine($"{calls} INVITEs parsed, decided and answered in {watch.ElapsedMilliseconds} ms"
            + $" ({calls / watch.Elapsed.TotalSeconds:F0}/s)");
        Assert.Equal(calls, stack.Udp.All.Count);
        Assert.Equal(calls, stack.Handler.Calls.Count);
        Assert.Equal(calls, stack.Server.ActiveTransactions);

        stack.Time.Advance(TimeSpan.FromSeconds(33)); // Timer H for all of them
        Assert.Equal(0, stack.Server.ActiveTransactions);
    }
}
