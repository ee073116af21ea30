using Backcall.Core.Storage;
using Dapper;
using static Backcall.Storage.ColumnValues;

namespace Backcall.Storage.Sqlite;

/// <summary>Statistics, and the console's time series: a handful of grouped counts over indexed time columns.</summary>
public sealed partial class SqliteStore
{
    // Each event is counted where it happened: a confirmation in the bucket of its confirmation, not of
    // its creation, so the chart shows what the server did in each minute.
    private static readonly string[] SeriesQueries =
    [
        "SELECT (created_at - @s) / @b AS k, COUNT(*) AS n FROM authorizations WHERE created_at >= @s "
            + "AND created_at <= @u GROUP BY k",
        "SELECT (confirmed_at - @s) / @b AS k, COUNT(*) AS n FROM authorizations WHERE confirmed_at >= @s "
            + "AND confirmed_at <= @u GROUP BY k",
        "SELECT (expires_at - @s) / @b AS k, COUNT(*) AS n FROM authorizations WHERE status = 2 AND expires_at >= @s "
            + "AND expires_at <= @u GROUP BY k",
        "SELECT (received_at - @s) / @b AS k, COUNT(*) AS n FROM call_log WHERE outcome = 'matched' "
            + "AND received_at >= @s AND received_at <= @u GROUP BY k",
        "SELECT (received_at - @s) / @b AS k, COUNT(*) AS n FROM call_log WHERE outcome <> 'matched' "
            + "AND received_at >= @s AND received_at <= @u GROUP BY k",
        "SELECT (at - @s) / @b AS k, COUNT(*) AS n FROM webhook_attempts WHERE http_status BETWEEN 200 AND 299 "
            + "AND at >= @s AND at <= @u GROUP BY k",
        "SELECT (at - @s) / @b AS k, COUNT(*) AS n FROM webhook_attempts "
            + "WHERE (http_status IS NULL OR http_status NOT BETWEEN 200 AND 299) AND at >= @s AND at <= @u GROUP BY k",
    ];

    private const string TimeToCallQuery =
        "SELECT (confirmed_at - created_at) / 1000 AS sec, COUNT(*) FROM authorizations WHERE status = 1 "
            + "AND created_at >= @s AND created_at <= @u GROUP BY sec ORDER BY sec";

    public async Task<StoreStatistics> GetStatisticsAsync(
        DateTimeOffset since,
        CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var s = Ms(since);
        var a = await c.QuerySingleAsync<(long Created, long Confirmed, long Expired)>(
                "SELECT COUNT(*), COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 2), 0) FROM authorizations "
                    + "WHERE created_at >= @s",
                new { s })
            .ConfigureAwait(false);
        var calls = await c.QuerySingleAsync<(long Matched, long Unmatched)>(
                "SELECT COALESCE(SUM(outcome = 'matched'), 0), COALESCE(SUM(outcome <> 'matched'), 0) FROM call_log "
                    + "WHERE received_at >= @s",
                new { s })
            .ConfigureAwait(false);
        var w = await c.QuerySingleAsync<(long Delivered, long Failed, long Pending)>(
                "SELECT COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 2), 0), COALESCE(SUM(status = 0), 0) "
                    + "FROM webhook_outbox WHERE created_at >= @s",
                new { s })
            .ConfigureAwait(false);
        return new StoreStatistics(
            a.Created,
            a.Confirmed,
            a.Expired,
            calls.Matched,
            calls.Unmatched,
            w.Delivered,
            w.Failed,
            w.Pending);
    }

    public async Task<IReadOnlyList<TokenStatistics>> GetTokenStatisticsAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<(long TokenId, long Created, long Confirmed, long Expired)>(
            """
            SELECT token_id, COUNT(*), COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 2), 0)
            FROM authorizations WHERE created_at >= @s GROUP BY token_id ORDER BY token_id
            """,
            new { s = Ms(since) }).ConfigureAwait(false);
        return [.. rows.Select(r => new TokenStatistics(r.TokenId, r.Created, r.Confirmed, r.Expired))];
    }

    public async Task<TimeSeries> GetTimeSeriesAsync(
        DateTimeOffset since,
        DateTimeOffset until,
        TimeSpan bucket,
        CancellationToken cancellationToken = default)
    {
        var grid = new TimeSeriesGrid(since, until, bucket);
        using var c = Open();
        return await grid.QueryAsync(c, SeriesQueries, TimeToCallQuery, cancellationToken).ConfigureAwait(false);
    }
}
