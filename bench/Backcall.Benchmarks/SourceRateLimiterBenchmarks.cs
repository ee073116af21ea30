using System.Net;
using Backcall.Sip.Trunks;
using BenchmarkDotNet.Attributes;

namespace Backcall.Benchmarks;

/// <summary>
/// The per-source limit under a spoofed flood: one packet's cost with 1 source and with 30,000 rotating
/// sources (the attack). It must not grow with the number of sources (no scan of the table).
/// </summary>
[MemoryDiagnoser]
public class SourceRateLimiterBenchmarks
{
    private SourceRateLimiter _limiter = null!;
    private IPAddress[] _sources = [];
    private int _next;

    [Params(1, 30_000, 200_000)]
    public int Sources { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _limiter = new SourceRateLimiter(200, 400, 65_536, TimeProvider.System);
        _sources = Enumerable.Range(0, Sources)
            .Select(i => new IPAddress(BitConverter.GetBytes(0x0A000000 + i)))
            .ToArray();
    }

    [Benchmark]
    public bool Packet()
    {
        var source = _sources[_next];
        _next = _next + 1 == _sources.Length ? 0 : _next + 1;
        return _limiter.TryAcquire(source);
    }
}
