using System.Globalization;
using System.Net;

namespace Backcall.BenchTool;

/// <summary>
/// End to end: INVITEs for pending pairs at a fixed <c>--rate</c> to the server's SIP port, webhooks
/// received on <c>--port</c>; the latency of a call is webhook arrival minus INVITE sent, on one clock.
/// Without <c>--port</c> only the SIP answer is timed (for the Kamailio anchor, which sends no webhook).
/// With <c>--warm-csv</c> and <c>--warm-count</c>, those calls go first at the same rate, their webhooks are
/// awaited and left out of the figures, and after <c>--settle</c> seconds the measured calls start: the
/// figures are the steady state. The warm-up's first second is printed apart (<c>cold_*</c>). With
/// <c>--latencies</c> each measured call goes to that file as "sent (UTC, ISO 8601);sip ms;e2e ms".
/// </summary>
internal static class EndToEnd
{
    public static async Task<int> RunAsync(Options options)
    {
        var pairs = CallPhase.ReadPairs(options.Get("csv"), options.Int("skip", 0), options.Int("count"));
        var rate = options.Double("rate", 1000);
        var wait = TimeSpan.FromSeconds(options.Double("wait", 15));
        var server = IPEndPoint.Parse(options.Get("sip"));

        var sipOnly = options.Find("port") is null;
        await using var receiver = sipOnly ? null : await WebhookReceiver.StartAsync(options.Int("port"));

        if (options.Find("warm-csv") is { } warmCsv)
        {
            var warm = await CallPhase.RunAsync(
                server, CallPhase.ReadPairs(warmCsv, 0, options.Int("warm-count")), rate, wait, receiver);
            PrintCold(warm, (int)Math.Min(rate, warm.Count), receiver is not null);

            // Lets the warm-up's tail (attempt records, the last deliveries) finish before the measured calls.
            await Task.Delay(TimeSpan.FromSeconds(options.Double("settle", 2)));
        }

        var run = await CallPhase.RunAsync(server, pairs, rate, wait, receiver);
        if (options.Find("latencies") is { } path)
        {
            await File.WriteAllLinesAsync(
                path,
                run.SentAt.Select((at, i) => string.Create(
                    CultureInfo.InvariantCulture, $"{at:O};{run.Sip[i]:0.000};{run.E2e[i]:0.000}")));
        }

        Console.WriteLine($"sent={run.Count}");
        Console.WriteLine(
            string.Create(CultureInfo.InvariantCulture, $"send_rate_per_s={run.Count / run.SendSeconds:0}"));
        Console.WriteLine($"answered={run.Answered}");
        var sip = CallPhase.Received(run.Sip);
        Percentiles.Print("sip", sip);
        if (receiver is null)
        {
            return sip.Count == run.Count ? 0 : 1;
        }

        // Missing webhooks are reported, not fatal: the table says how many did not come in time.
        var e2e = CallPhase.Received(run.E2e);
        Console.WriteLine($"webhooks={e2e.Count}");
        Console.WriteLine($"missing={run.Count - e2e.Count}");
        Percentiles.Print("e2e", e2e);
        return 0;
    }

    // The warm-up's first second: the server's webhook path (dispatcher, sender, its first connections to
    // the receiver's host) runs there for the first time, as after a restart. Printed so it is not hidden.
    private static void PrintCold(CallPhase warm, int first, bool webhooks)
    {
        Console.WriteLine($"warm_sent={warm.Count}");
        Console.WriteLine($"cold_calls={first}");
        Percentiles.Print("cold_sip", CallPhase.Received(warm.Sip, first));
        if (webhooks)
        {
            Console.WriteLine($"warm_missing={warm.Count - CallPhase.Received(warm.E2e).Count}");
            Percentiles.Print("cold_e2e", CallPhase.Received(warm.E2e, first));
        }
    }
}
