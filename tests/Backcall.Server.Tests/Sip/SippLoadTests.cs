using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Backcall.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// A trusted trunk at a carrier's peak on the default SIP settings: nothing it sends may be dropped by the
/// edge's protections. Counts are asserted, never time: on a slow machine sipp reaches a lower rate, and
/// the test still proves that nothing was dropped at the rate it did reach (printed).
/// </summary>
public sealed partial class SippLoadTests(SipServerFixture fixture, ITestOutputHelper output) : IClassFixture<SipServerFixture>
{
    [Fact]
    public async Task Two_thousand_calls_a_second_from_one_trusted_source_at_the_default_settings_none_dropped()
    {
        const int calls = 6000;
        var options = fixture.Sipp(SipTransportKind.Udp, ("caller", Verification.NewPhone()), ("called", "79640000001")) with
        {
            Calls = calls,
            Rate = 2000,
            Timeout = TimeSpan.FromSeconds(120),
        };
        var clock = Stopwatch.StartNew();
        var run = await SippRunner.RunAsync("uac-reject.xml", options);
        clock.Stop();
        output.WriteLine($"{calls} calls in {clock.Elapsed.TotalSeconds:F1} s: {calls / clock.Elapsed.TotalSeconds:F0} calls/s reached");
        // sipp itself may give up on a call when an overloaded machine delays the 486 past its retransmissions;
        // that is speed, not a drop: the server's own counts below decide. Reported, never asserted.
        output.WriteLine($"sipp exit {run.ExitCode}");

        using var client = fixture.Server.CreateClient();
        var metrics = await client.GetStringAsync("metrics");
        Assert.Equal(0, Total(metrics, "sip_rate_limited"));
        Assert.Equal(0, Total(metrics, "sip_trunk_limited"));
        Assert.Equal(calls, Total(metrics, "sip_invites_rejected")); // every INVITE reached a transaction and was answered
    }

    /// <summary>
    /// The sum of a counter's samples, 0 when absent (exported from its first count). Matched by suffix: the
    /// exporter may prefix the meter name.
    /// </summary>
    private static double Total(string metrics, string name) =>
        Sample().Matches(metrics)
            .Where(m => m.Groups["name"].Value is var n && (n.EndsWith(name, StringComparison.Ordinal) || n.EndsWith(name + "_total", StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{[^}]*\})? (?<value>[0-9.eE+-]+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
