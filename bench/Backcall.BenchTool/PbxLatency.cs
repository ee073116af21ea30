using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Backcall.BenchTool;

/// <summary>
/// Confirm latency: reports <c>--count</c> calls of the pending pairs in <c>--csv</c> (from line
/// <c>--skip</c>) to the PBX endpoint one after another, each a real match and durable confirmation, and
/// prints the percentiles of the request time.
/// </summary>
internal static class PbxLatency
{
    public static async Task<int> RunAsync(Options options)
    {
        var url = options.Get("url").TrimEnd('/') + "/api/v1/pbx/calls";
        var pairs = File.ReadLines(options.Get("csv"))
            .Skip(1 + options.Int("skip", 0))
            .Take(options.Int("count"))
            .ToList();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Get("key"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.Double("seconds", 60)));

        var latencies = new List<double>(pairs.Count);
        var matched = 0;
        foreach (var line in pairs)
        {
            if (deadline.IsCancellationRequested)
            {
                break;
            }

            var f = line.Split(';');
            var body = $"{{\"caller\":\"{f[0]}\",\"called\":\"{f[1]}\","
                + $"\"call_id\":\"bench-{f[2]}-{Guid.NewGuid():N}\"}}";
            var started = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync(
                url, new StringContent(body, Encoding.UTF8, "application/json"), deadline.Token);
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (text.Contains("\"matched\"", StringComparison.Ordinal))
            {
                matched++;
            }
        }

        Console.WriteLine($"matched={matched}");
        Percentiles.Print("confirm", latencies);
        return matched == pairs.Count ? 0 : 1;
    }
}
