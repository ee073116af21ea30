using Backcall.Core.Storage;

namespace Backcall.Storage.Sqlite;

/// <summary>The console's time series: a handful of grouped counts over indexed time columns.</summary>
public sealed partial class SqliteStore
{
    // Each event is counted where it happened: a confirmation in the bucket of its confirmation, not of
    // its creation, so the chart shows what the server did in each minute.
    private static readonly string[] SeriesQueries =
    [
        "SELECT (created_at - @s) / @b AS k, COUNT(*) AS n FROM authorizations WHERE created_at >= @s AND created_at <= @u GROUP BY k",
        "SELECT (confirmed_at - @s) / @b AS k, COUNT(*) AS n FROM authorizations WHERE confirmed_at >= @s AND confirmed_at <= @u GROUP BY k",
        "SELECT (expires_at - @s) / @b AS k, COUNT(*) AS n FROM authorizations WHERE status = 2 AND expires_at >= @s AND expires_at <= @u GROUP BY k",
        "SELECT (received_at - @s) / @b AS k, COUNT(*) AS n FROM call_log WHERE outcome = 'matched' AND received_at >= @s AND received_at <= @u GROUP BY k",
        "SELECT (received_at - @s) / @b AS k, COUNT(*) AS n FROM call_log WHERE outcome <> 'matched' AND received_at >= @s AND received_at <= @u GROUP BY k",
        "SELECT (at - @s) / @b AS k, COUNT(*) AS n FROM webhook_attempts WHERE http_status BETWEEN 200 AND 299 AND at >= @s AND at <= @u GROUP BY k",
        "SELECT (at - @s) / @b AS k, COUNT(*) AS n FROM webhook_attempts WHERE (http_status IS NULL OR http_status NOT BETWEEN 200 AND 299) AND at >= @s AND at <= @u GROUP BY k",
    ];

    private const string TimeToCallQuery =
        "SELECT (confirmed_at - created_at) / 1000 AS sec, COUNT(*) FROM authorizations WHERE status = 1 AND created_at >= @s AND created_at <= @u GROUP BY sec ORDER BY sec";

    public async Task<TimeSeries> GetTimeSeriesAsync(DateTimeOffset since, DateTimeOffset until, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        var grid = new TimeSeriesGrid(since, until, bucket);
        using var c = Open();
        return await grid.QueryAsync(c, SeriesQueries, TimeToCallQuery, cancellationToken).ConfigureAwait(false);
    }
}
