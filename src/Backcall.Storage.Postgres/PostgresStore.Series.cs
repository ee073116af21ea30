using Backcall.Core.Storage;

namespace Backcall.Storage.Postgres;

/// <summary>
/// The console's time series: the same grouped counts as the SQLite store, in one round trip per series.
/// </summary>
public sealed partial class PostgresStore
{
    // Each event is counted where it happened (bigint division truncates, as in SQLite).
    private static readonly string[] SeriesQueries =
    [
        "SELECT (created_at - @s) / @b AS k, count(*) AS n FROM authorizations WHERE created_at >= @s "
            + "AND created_at <= @u GROUP BY k",
        "SELECT (confirmed_at - @s) / @b AS k, count(*) AS n FROM authorizations WHERE confirmed_at >= @s "
            + "AND confirmed_at <= @u GROUP BY k",
        "SELECT (expires_at - @s) / @b AS k, count(*) AS n FROM authorizations WHERE status = 2 AND expires_at >= @s "
            + "AND expires_at <= @u GROUP BY k",
        "SELECT (received_at - @s) / @b AS k, count(*) AS n FROM call_log WHERE outcome = 'matched' "
            + "AND received_at >= @s AND received_at <= @u GROUP BY k",
        "SELECT (received_at - @s) / @b AS k, count(*) AS n FROM call_log WHERE outcome <> 'matched' "
            + "AND received_at >= @s AND received_at <= @u GROUP BY k",
        "SELECT (at - @s) / @b AS k, count(*) AS n FROM webhook_attempts WHERE http_status BETWEEN 200 AND 299 "
            + "AND at >= @s AND at <= @u GROUP BY k",
        "SELECT (at - @s) / @b AS k, count(*) AS n FROM webhook_attempts "
            + "WHERE (http_status IS NULL OR http_status NOT BETWEEN 200 AND 299) AND at >= @s AND at <= @u GROUP BY k",
    ];

    private const string TimeToCallQuery =
        "SELECT (confirmed_at - created_at) / 1000 AS sec, count(*) FROM authorizations WHERE status = 1 "
            + "AND created_at >= @s AND created_at <= @u GROUP BY sec ORDER BY sec";

    public async Task<TimeSeries> GetTimeSeriesAsync(
        DateTimeOffset since,
        DateTimeOffset until,
        TimeSpan bucket,
        CancellationToken cancellationToken = default)
    {
        var grid = new TimeSeriesGrid(since, until, bucket);
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await grid.QueryAsync(c, SeriesQueries, TimeToCallQuery, cancellationToken).ConfigureAwait(false);
    }
}
