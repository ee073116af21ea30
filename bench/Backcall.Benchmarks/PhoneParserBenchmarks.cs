using Backcall.Core.Phones;
using BenchmarkDotNet.Attributes;

namespace Backcall.Benchmarks;

/// <summary>Phone normalization: every creation (user input) and every call (caller and called) pays it.</summary>
[MemoryDiagnoser]
public class PhoneParserBenchmarks
{
    private readonly PhoneParser _parser = new("RU");

    [Params("89001234567", "+7 (900) 123-45-67", "+442079460000")]
    public string Input { get; set; } = "";

    [Benchmark]
    public bool TryNormalize() => _parser.TryNormalize(Input, out _);
}
