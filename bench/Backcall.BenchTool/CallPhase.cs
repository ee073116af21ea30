using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Backcall.BenchTool;

/// <summary>
/// One paced run of INVITEs and what came back: per call, INVITE → final response and INVITE → webhook
/// in milliseconds (NaN when it never came).
/// </summary>
internal sealed class CallPhase
{
    private CallPhase(double[] sip, double[] e2e, double sendSeconds, int answered, DateTime[] sentAt)
    {
        Sip = sip;
        E2e = e2e;
        SendSeconds = sendSeconds;
        Answered = answered;
        SentAt = sentAt;
    }

    /// <summary>When each INVITE went out (UTC), to line a slow call up with what the server did then.</summary>
    public DateTime[] SentAt { get; }

    public double[] Sip { get; }

    public double[] E2e { get; }

    public double SendSeconds { get; }

    public int Answered { get; }

    public int Count => Sip.Length;

    public static List<(string Caller, string Called, long Id)> ReadPairs(string csv, int skip, int count) =>
        File.ReadLines(csv).Skip(1 + skip).Take(count)
            .Select(l => l.Split(';'))
            .Select(f => (Caller: f[0], Called: f[1], Id: long.Parse(f[2], CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>
    /// Sends <paramref name="pairs"/> at <paramref name="rate"/>, then waits up to <paramref name="wait"/> for
    /// every answer (and webhook).
    /// </summary>
    public static async Task<CallPhase> RunAsync(
        IPEndPoint server,
        List<(string Caller, string Called, long Id)> pairs,
        double rate,
        TimeSpan wait,
        WebhookReceiver? receiver)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(pairs.Count / rate + 30));
        using var sender = new SipInviteSender(server, pairs.Count);
        sender.StartReceiving();
        var (started, startedUtc) = (Stopwatch.GetTimestamp(), DateTime.UtcNow);
        await Task.Factory.StartNew(
            () => sender.SendPaced(pairs, rate, deadline.Token), TaskCreationOptions.LongRunning);
        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // Counts this phase's own ids: a late webhook of an earlier phase must not end the wait early.
        var waitUntil = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while ((receiver is null ? sender.Finals : pairs.Count(p => receiver.ArrivedAt.ContainsKey(p.Id))) < pairs.Count
            && Stopwatch.GetTimestamp() < waitUntil)
        {
            await Task.Delay(50);
        }

        var sip = new double[pairs.Count];
        var e2e = new double[pairs.Count];
        var sentAt = new DateTime[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            var sent = sender.SentAt[i];
            sentAt[i] = sent == 0 ? default : startedUtc + Stopwatch.GetElapsedTime(started, sent);
            sip[i] = sent != 0 && sender.AnsweredAt[i] != 0
                ? Stopwatch.GetElapsedTime(sent, sender.AnsweredAt[i]).TotalMilliseconds
                : double.NaN;
            e2e[i] = sent != 0 && receiver is not null && receiver.ArrivedAt.TryGetValue(pairs[i].Id, out var at)
                ? Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds
                : double.NaN;
        }

        return new CallPhase(sip, e2e, sendSeconds, sender.Finals, sentAt);
    }

    /// <summary>The latencies that came, of the first <paramref name="take"/> calls (all by default).</summary>
    public static List<double> Received(double[] latencies, int? take = null) =>
        latencies.Take(take ?? latencies.Length).Where(v => !double.IsNaN(v)).ToList();
}
