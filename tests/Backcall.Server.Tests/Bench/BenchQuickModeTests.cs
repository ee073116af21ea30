using System.Diagnostics;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Bench;

/// <summary>
/// The benchmark harness in its quick mode, so it cannot rot: it must run to the end and print every row.
/// Benchmarks are not tests: no figure is asserted, only that each was produced. It runs alone (its own
/// collection, not in parallel) because it loads both cores, which would slow timing-sensitive tests.
/// </summary>
[Collection(BenchCollection.Name)]
public sealed class BenchQuickModeTests
{
    // Every row bench/run prints, by the start of its first cell (see bench/lib/*.sh).
    private static readonly string[] Rows =
    [
        "| check: throughput",
        "| check: p99 latency",
        "| create (durable, new phone each): throughput",
        "| create: p99 latency",
        "| SIP: highest INVITE rate, 0 failed, 0 retransmitted (sipp, 1 s steps), full matching",
        "| SIP: highest INVITE rate, 0 failed, 0 retransmitted (sipp, 1 s steps), calls matching no authorization",
        "| SIP: the same, against Kamailio stateful",
        "| SIP: sipp response time p50 / p99",
        "| end to end INVITE → webhook p50",
        "| end to end INVITE → webhook p99",
        "| SIP: INVITE → 486 p50 / p99",
        "| memory: RSS with",
        "| growth: check of a stored (not in memory) id, throughput",
        "| growth: check p99",
        "| growth: confirm (PBX endpoint, one at a time)",
    ];

    [Fact]
    public async Task Quick_mode_runs_to_the_end_and_prints_every_row()
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        info.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "bench", "run"));
        info.ArgumentList.Add("--quick");

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // Generous: the first run builds Release; the measurements themselves take under a minute.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("bench/run --quick did not finish in 10 minutes:\n" + await stderr);
        }

        var table = await stdout;
        var log = await stderr;
        Assert.True(process.ExitCode == 0, $"bench/run --quick exited {process.ExitCode}\n{log}\n{table}");
        Assert.Contains("| Measure | Backcall | Anchor (same run) | Ratio | Target |", table, StringComparison.Ordinal);
        var lines = table.Split('\n');
        foreach (var row in Rows)
        {
            Assert.True(lines.Any(l => l.StartsWith(row, StringComparison.Ordinal)), $"no row '{row}' in:\n{table}");
        }
    }
}
