using Backcall.Core.Activity;
using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Operator;

/// <summary>The dashboard's numbers and series, as JSON for <c>/static/js/dashboard.js</c>.</summary>
internal static class DashboardData
{
    /// <summary>The windows offered, each with a bucket that keeps charts near 60–100 points.</summary>
    public static readonly (int Minutes, int BucketSeconds)[] Windows = [(60, 60), (360, 300), (1440, 900)];

    public static async Task<object> BuildAsync(ActivityAdmin activity, AuthorizationIndex index, SipDeniedCounter sipDenied, IOptions<AuthorizationOptions> options, TimeProvider time, int minutes, CancellationToken cancellationToken)
    {
        var (window, bucketSeconds) = Windows.FirstOrDefault(w => w.Minutes == minutes) is { Minutes: > 0 } w ? w : Windows[0];
        var bucket = TimeSpan.FromSeconds(bucketSeconds);
        var now = time.GetUtcNow();

        // Align buckets to whole bucket widths so a refresh shifts the chart by whole points.
        var end = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % bucket.Ticks), TimeSpan.Zero);
        var since = end - TimeSpan.FromMinutes(window) + bucket;
        var stats = await activity.GetStatisticsAsync(now - TimeSpan.FromMinutes(window), cancellationToken);
        var series = await activity.GetTimeSeriesAsync(since, now, bucket, cancellationToken);
        var b = series.Buckets;
        var finished = stats.AuthorizationsConfirmed + stats.AuthorizationsExpired;

        return new
        {
            GeneratedAt = now,
            WindowMinutes = window,
            BucketSeconds = bucketSeconds,
            LiveAuthorizations = index.CountLive(now),
            Totals = new
            {
                Created = stats.AuthorizationsCreated,
                Confirmed = stats.AuthorizationsConfirmed,
                Expired = stats.AuthorizationsExpired,
                ConfirmationRate = finished == 0 ? (double?)null : Math.Round(100.0 * stats.AuthorizationsConfirmed / finished, 1),
                stats.CallsMatched,
                stats.CallsUnmatched,
                stats.WebhooksDelivered,
                stats.WebhooksFailed,
                stats.WebhooksPending,
            },
            Series = new
            {
                T = b.Select(x => x.Start.ToUnixTimeMilliseconds()),
                Created = b.Select(x => x.Created),
                Confirmed = b.Select(x => x.Confirmed),
                Expired = b.Select(x => x.Expired),
                Rate = b.Select(x => x.Confirmed + x.Expired == 0 ? (double?)null : Math.Round(100.0 * x.Confirmed / (x.Confirmed + x.Expired), 1)),
                CallsMatched = b.Select(x => x.CallsMatched),
                CallsUnmatched = b.Select(x => x.CallsUnmatched),
                WebhookOk = b.Select(x => x.WebhookAttemptsOk),
                WebhookFailed = b.Select(x => x.WebhookAttemptsFailed),
            },
            TimeToCall = Histogram(series.TimeToCall, options.Value.Lifetime),

            // From the SIP layer's counters, kept in memory by this process since it started.
            Sip = new
            {
                Denied = sipDenied.Series(since, bucket, b.Count),
                Note = "Denied: SIP messages from sources outside every trunk or over the rate limit, counted by this process since it started.",
            },
        };
    }

    /// <summary>Seconds from creation to the call, in about a dozen bins across the lifetime.</summary>
    private static object Histogram(IReadOnlyList<TimeToCallCount> counts, TimeSpan lifetime)
    {
        var total = (int)Math.Ceiling(lifetime.TotalSeconds);
        var width = Math.Max(1, (int)Math.Ceiling(total / 12.0));
        var bins = (total + width - 1) / width;
        var values = new long[bins];
        foreach (var c in counts)
        {
            values[Math.Clamp(c.Seconds / width, 0, bins - 1)] += c.Count;
        }

        return new
        {
            BinSeconds = width,
            Labels = Enumerable.Range(0, bins).Select(i => $"{i * width}–{Math.Min(total, (i + 1) * width)} s"),
            Counts = values,
        };
    }
}
