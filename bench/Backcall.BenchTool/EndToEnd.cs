using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Backcall.BenchTool;

/// <summary>
/// End to end: INVITEs for pending pairs at a fixed <c>--rate</c> to the server's SIP port, webhooks
/// received on <c>--port</c>; the latency of a call is webhook arrival minus INVITE sent, on one clock.
/// Without <c>--port</c> only the SIP answer is timed (for the Kamailio anchor, which sends no webhook).
/// </summary>
internal static class EndToEnd
{
    public static async Task<int> RunAsync(Options options)
    {
        var pairs = File.ReadLines(options.Get("csv")).Skip(1 + options.Int("skip", 0)).Take(options.Int("count"))
            .Select(l => l.Split(';'))
            .Select(f => (Caller: f[0], Called: f[1], Id: long.Parse(f[2], CultureInfo.InvariantCulture)))
            .ToList();
        var rate = options.Double("rate", 1000);
        var wait = TimeSpan.FromSeconds(options.Double("wait", 15));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(pairs.Count / rate + 30));

        var sipOnly = options.Find("port") is null;
        await using var receiver = sipOnly ? null : await WebhookReceiver.StartAsync(options.Int("port"));
        using var sender = new SipInviteSender(IPEndPoint.Parse(options.Get("sip")), pairs.Count);
        sender.StartReceiving();
        var started = Stopwatch.GetTimestamp();
        await Task.Factory.StartNew(() => sender.SendPaced(pairs, rate, deadline.Token), TaskCreationOptions.LongRunning);
        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var waitUntil = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while ((receiver?.ArrivedAt.Count ?? sender.Finals) < pairs.Count && Stopwatch.GetTimestamp() < waitUntil)
        {
            await Task.Delay(50);
        }

        var e2e = new List<double>(pairs.Count);
        var sip = new List<double>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            if (receiver is not null && receiver.ArrivedAt.TryGetValue(pairs[i].Id, out var at) && sender.SentAt[i] != 0)
            {
                e2e.Add(Stopwatch.GetElapsedTime(sender.SentAt[i], at).TotalMilliseconds);
            }

            if (sender.AnsweredAt[i] != 0)
            {
                sip.Add(Stopwatch.GetElapsedTime(sender.SentAt[i], sender.AnsweredAt[i]).TotalMilliseconds);
            }
        }

        Console.WriteLine($"sent={pairs.Count}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"send_rate_per_s={pairs.Count / sendSeconds:0}"));
        Console.WriteLine($"answered={sender.Finals}");
        Percentiles.Print("sip", sip);
        if (receiver is null)
        {
            return sip.Count == pairs.Count ? 0 : 1;
        }

        // Missing webhooks are reported, not fatal: the table says how many did not come in time.
        Console.WriteLine($"webhooks={receiver.ArrivedAt.Count}");
        Console.WriteLine($"missing={pairs.Count - e2e.Count}");
        Percentiles.Print("e2e", e2e);
        return 0;
    }
}
