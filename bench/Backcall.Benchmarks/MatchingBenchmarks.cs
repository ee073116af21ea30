using Backcall.Core.Authorizations;
using Backcall.Core.Phones;
using BenchmarkDotNet.Attributes;

namespace Backcall.Benchmarks;

/// <summary>
/// The look-ups CallService makes to decide a call, on an index of 100,000 live authorizations over 50
/// numbers: a matching pair (the normal call), and a caller with no pair (FindByPair misses, then the
/// number's pending list is read to report a wrong caller).
/// </summary>
[MemoryDiagnoser]
public class MatchingBenchmarks
{
    private const int Size = 100_000;
    private readonly AuthorizationIndex _index = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private E164Phone _number;
    private E164Phone _caller;
    private E164Phone _stranger;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Size; i++)
        {
            _index.Upsert(new Authorization
            {
                Id = 100_001 + i,
                TokenId = 1,
                UserPhone = new E164Phone(
                    "+7901" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)),
                AuthNumber = new E164Phone(
                    "+7964" + (i % 50).ToString("D7", System.Globalization.CultureInfo.InvariantCulture)),
                QrKey = "qr" + i,
                CreatedAt = _now,
                ExpiresAt = _now.AddMinutes(2),
            });
        }

        _number = new E164Phone("+79640000007");
        _caller = new E164Phone("+79010050007");
        _stranger = new E164Phone("+79990000000");
    }

    [Benchmark(Baseline = true)]
    public bool MatchingCall() => _index.FindByPair(_number, _caller) is { } a && a.IsLiveAt(_now);

    [Benchmark]
    public int WrongCaller() =>
        _index.FindByPair(_number, _stranger) is null ? _index.PendingOn(_number, _now).Count : -1;
}
