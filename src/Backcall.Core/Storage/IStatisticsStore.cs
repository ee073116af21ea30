namespace Backcall.Core.Storage;

/// <summary>Counts over the stored activity, for the dashboard, the admin API and the metrics.</summary>
public interface IStatisticsStore
{
    Task<StoreStatistics> GetStatisticsAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Authorizations created since <paramref name="since"/>, per token that created any, by id.</summary>
    Task<IReadOnlyList<TokenStatistics>> GetTokenStatisticsAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>
    /// Activity from <paramref name="since"/> up to <paramref name="until"/> in buckets of <paramref name="bucket"/>
    /// (at most a few thousand), plus the time-to-call distribution: the operator console's charts.
    /// </summary>
    Task<TimeSeries> GetTimeSeriesAsync(
        DateTimeOffset since,
        DateTimeOffset until,
        TimeSpan bucket,
        CancellationToken cancellationToken = default);
}
