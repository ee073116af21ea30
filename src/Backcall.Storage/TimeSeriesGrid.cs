using System.Data.Common;
using Backcall.Core.Storage;
using Dapper;
using static Backcall.Storage.ColumnValues;

namespace Backcall.Storage;

/// <summary>
/// The console's time series without its SQL: the grid of buckets from <c>since</c> to <c>until</c>, and
/// the grouped counts each store's queries return, placed into it.
/// </summary>
/// <remarks>
/// A store's bucket queries take <c>@s</c> (since), <c>@u</c> (until) and <c>@b</c> (bucket width), all in
/// milliseconds, and return <c>(k, n)</c>: bucket index and count. Its time-to-call query takes <c>@s</c>
/// and <c>@u</c> and returns <c>(seconds, count)</c> in order of seconds.
/// </remarks>
internal sealed class TimeSeriesGrid
{
    /// <summary>
    /// The most buckets one request gets, whatever range it asks for: a bound on its memory and work.
    /// </summary>
    private const int MaxBuckets = 10_000;

    /// <summary>
    /// How many counts a <see cref="TimeSeriesBucket"/> holds, and so how many bucket queries a store gives.
    /// </summary>
    private const int Series = 7;

    private readonly DateTimeOffset _since;
    private readonly TimeSpan _bucket;
    private readonly long _sinceMs;
    private readonly long _untilMs;
    private readonly long _bucketMs;
    private readonly int _bucketCount;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bucket"/> is not positive.</exception>
    public TimeSeriesGrid(DateTimeOffset since, DateTimeOffset until, TimeSpan bucket)
    {
        if (bucket <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), "bucket must be positive");
        }

        _since = since;
        _bucket = bucket;
        _sinceMs = Ms(since);
        _untilMs = Math.Max(Ms(until), _sinceMs);
        _bucketMs = (long)bucket.TotalMilliseconds;
        _bucketCount = (int)Math.Min(MaxBuckets, ((_untilMs - _sinceMs) / _bucketMs) + 1);
    }

    /// <summary>
    /// Runs the store's queries on <paramref name="connection"/> and fills the grid with their counts.
    /// </summary>
    /// <param name="bucketQueries">One query per count of <see cref="TimeSeriesBucket"/>, in the order of its
    /// constructor.</param>
    public async Task<TimeSeries> QueryAsync(
        DbConnection connection,
        IReadOnlyList<string> bucketQueries,
        string timeToCallQuery,
        CancellationToken cancellationToken)
    {
        if (bucketQueries.Count != Series)
        {
            throw new ArgumentException(
                $"A time series has {Series} counts; {bucketQueries.Count} queries were given.",
                nameof(bucketQueries));
        }

        var rows = new long[_bucketCount, Series];
        for (var column = 0; column < Series; column++)
        {
            var counts = await connection
                .QueryAsync<(long K, long N)>(
                    new CommandDefinition(
                        bucketQueries[column],
                        new
                        {
                            s = _sinceMs,
                            u = _untilMs,
                            b = _bucketMs,
                        },
                        cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            foreach (var (k, n) in counts)
            {
                if (k >= 0 && k < _bucketCount)
                {
                    rows[k, column] += n;
                }
            }
        }

        var buckets = new TimeSeriesBucket[_bucketCount];
        for (var i = 0; i < _bucketCount; i++)
        {
            buckets[i] = new TimeSeriesBucket(
                _since + (_bucket * i),
                rows[i, 0],
                rows[i, 1],
                rows[i, 2],
                rows[i, 3],
                rows[i, 4],
                rows[i, 5],
                rows[i, 6]);
        }

        var timeToCall = await connection
            .QueryAsync<(long Seconds, long Count)>(
                new CommandDefinition(
                    timeToCallQuery,
                    new { s = _sinceMs, u = _untilMs },
                    cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return new TimeSeries(
            _since,
            _bucket,
            buckets,
            [.. timeToCall.Select(t => new TimeToCallCount((int)Math.Max(0, t.Seconds), t.Count))]);
    }
}
