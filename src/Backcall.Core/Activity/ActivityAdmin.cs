using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;

namespace Backcall.Core.Activity;

/// <summary>
/// What the operator reads about activity: authorizations, the call log, statistics and the charts'
/// series, shared by the admin API and the console.
/// </summary>
public sealed class ActivityAdmin(IAuthorizationStore authorizations, ICallLogStore calls, IStatisticsStore statistics)
{
    public Task<IReadOnlyList<Authorization>> ListAuthorizationsAsync(
        AuthorizationQuery query,
        CancellationToken cancellationToken = default) =>
        authorizations.ListAuthorizationsAsync(query, cancellationToken);

    public Task<IReadOnlyList<CallLogEntry>> ListCallsAsync(
        CallQuery query,
        CancellationToken cancellationToken = default) => calls.ListCallsAsync(query, cancellationToken);

    public Task<StoreStatistics> GetStatisticsAsync(
        DateTimeOffset since,
        CancellationToken cancellationToken = default) => statistics.GetStatisticsAsync(since, cancellationToken);

    public Task<IReadOnlyList<TokenStatistics>> GetTokenStatisticsAsync(
        DateTimeOffset since,
        CancellationToken cancellationToken = default) => statistics.GetTokenStatisticsAsync(since, cancellationToken);

    public Task<TimeSeries> GetTimeSeriesAsync(
        DateTimeOffset since,
        DateTimeOffset until,
        TimeSpan bucket,
        CancellationToken cancellationToken = default) =>
        statistics.GetTimeSeriesAsync(since, until, bucket, cancellationToken);
}
