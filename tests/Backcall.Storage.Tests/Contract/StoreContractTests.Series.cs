using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task The_time_series_counts_each_event_in_its_bucket()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var a = await CreateAsync(token, N1, P1, T0.AddSeconds(10));
        await Store.RecordCallAsync(Matched(a, T0.AddSeconds(75)));
        await CreateAsync(token, N1, P2, T0.AddSeconds(20), lifetime: TimeSpan.FromSeconds(100));
        await SweepAsync(T0.AddMinutes(5));

        var series = await Store.GetTimeSeriesAsync(
            T0, T0.AddMinutes(3) - TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(3, series.Buckets.Count);
        Assert.Equal([2L, 0, 0], series.Buckets.Select(b => b.Created));
        Assert.Equal([0L, 1, 0], series.Buckets.Select(b => b.Confirmed));
        Assert.Equal([0L, 0, 1], series.Buckets.Select(b => b.Expired));
        Assert.Equal([0L, 1, 0], series.Buckets.Select(b => b.CallsMatched));
        Assert.Equal(new TimeToCallCount(65, 1), Assert.Single(series.TimeToCall));
    }
}
