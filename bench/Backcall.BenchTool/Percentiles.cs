using System.Globalization;

namespace Backcall.BenchTool;

/// <summary>Nearest-rank percentiles of latencies in milliseconds, printed as key=value lines.</summary>
internal static class Percentiles
{
    public static double Of(List<double> sorted, double p) =>
        sorted.Count == 0
            ? double.NaN
            : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static void Print(string prefix, List<double> latencies)
    {
        latencies.Sort();
        Console.WriteLine($"{prefix}_count={latencies.Count}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix}_p50_ms={Of(latencies, 50):0.###}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix}_p99_ms={Of(latencies, 99):0.###}"));
    }
}
