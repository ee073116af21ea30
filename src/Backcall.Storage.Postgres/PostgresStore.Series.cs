using Backcall.Core.Storage;
using Dapper;
using static Backcall.Storage.Postgres.Rows;

namespace Backcall.Storage.Postgres;

/// <summary>The console's time series: the same grouped counts as the SQLite store, in one round trip per series.</summary>
public sealed partial class PostgresStore
{
    private const int MaxBuckets = 10_000;

    public async Task<TimeSeries> GetTimeSeriesAsync(DateTimeOffset since, DateTimeOffset until, TimeSpan bucket, CancellationToken cancellationToken = default)
    {
        if (bucket <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), "bucket must be positive");
        }

        var s = Ms(since);
        var u = Math.Max(Ms(until), s);
        var b = (long)bucket.TotalMilliseconds;
        var count = (int)Math.Min(MaxBuckets, ((u - s) / b) + 1);
        var rows = new long[count, 7];
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // Each event is counted where it happened (bigint division truncates, as in SQLite).
        var queries = new (int Column, string Sql)[]
        {
            (0, "SELECT (created_at - @s) / @b AS k, count(*) AS n FROM authorizations WHERE created_at >= @s AND created_at <= @u GROUP BY k"),
            (1, "SELECT (confirmed_at - @s) / @b AS k, count(*) AS n FROM authorizations WHERE confirmed_at >= @s AND confirmed_at <= @u GROUP BY k"),
            (2, "SELECT (expires_at - @s) / @b AS k, count(*) AS n FROM authorizations WHERE status = 2 AND expires_at >= @s AND expires_at <= @u GROUP BY k"),
            (3, "SELECT (received_at - @s) / @b AS k, count(*) AS n FROM call_log WHERE outcome = 'matched' AND received_at >= @s AND received_at <= @u GROUP BY k"),
            (4, "SELECT (received_at - @s) / @b AS k, count(*) AS n FROM call_log WHERE outcome <> 'matched' AND received_at >= @s AND received_at <= @u GROUP BY k"),
            (5, "SELECT (at - @s) / @b AS k, count(*) AS n FROM webhook_attempts WHERE http_status BETWEEN 200 AND 299 AND at >= @s AND at <= @u GROUP BY k"),
            (6, "SELECT (at - @s) / @b AS k, count(*) AS n FROM webhook_attempts WHERE (http_status IS NULL OR http_status NOT BETWEEN 200 AND 299) AND at >= @s AND at <= @u GROUP BY k"),
        };
        foreach (var (column, sql) in queries)
        {
            foreach (var (k, n) in await c.QueryAsync<(long K, long N)>(Cmd(sql, new { s, u, b }, null, cancellationToken)).ConfigureAwait(false))
            {
                if (k >= 0 && k < count)
                {
                    rows[k, column] += n;
                }
            }
        }

        var buckets = new TimeSeriesBucket[count];
        for (var i = 0; i < count; i++)
        {
            buckets[i] = new TimeSeriesBucket(since + (bucket * i), rows[i, 0], rows[i, 1], rows[i, 2], rows[i, 3], rows[i, 4], rows[i, 5], rows[i, 6]);
        }

        var timeToCall = await c.QueryAsync<(long Seconds, long Count)>(Cmd(
            "SELECT (confirmed_at - created_at) / 1000 AS sec, count(*) FROM authorizations WHERE status = 1 AND created_at >= @s AND created_at <= @u GROUP BY sec ORDER BY sec",
            new { s, u },
            null,
            cancellationToken)).ConfigureAwait(false);
        return new TimeSeries(since, bucket, buckets, [.. timeToCall.Select(t => new TimeToCallCount((int)Math.Max(0, t.Seconds), t.Count))]);
    }
}
