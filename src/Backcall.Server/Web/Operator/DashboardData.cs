using Backcall.Core.Activity;
using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Operator;

/// <summary>The dashboard's numbers and series, as JSON for <c>/static/js/dashboard.js</c>.</summary>
internal static class DashboardData
{
    /// <summary>The windows offered, each with a bucket that keeps charts near 60–100 points.</summary>
    public static readonly (int Minutes, int BucketSeconds)[] Windows = [(60, 60), (360, 300), (1440, 900)];

    public static async Task<object> BuildAsync(
        DashboardSources sources,
        int minutes,
        CancellationToken cancellationToken)
    {
        var (activity, index, sipDenied) = (sources.Activity, sources.Index, sources.SipDenied);
        var (options, time) = (sources.Options, sources.Time);
        var (window, bucketSeconds) = Windows.FirstOrDefault(w => w.Minutes == minutes) is { Minutes: > 0 } w
            ? w
            : Windows[0];
        var bucket = TimeSpan.FromSeconds(bucketSeconds);
        var now = time.GetUtcNow();

        // Align buckets to whole bucket widths so a refresh shifts the chart by whole points.
        var end = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % bucket.Ticks), TimeSpan.Zero);
        var since = end - TimeSpan.FromMinutes(window) + bucket;
        var windowStart = now - TimeSpan.FromMinutes(window);
        var stats = await activity.GetStatisticsAsync(windowStart, cancellationToken);
        var series = await activity.GetTimeSeriesAsync(since, now, bucket, cancellationToken);
        var b = series.Buckets;
        var finished = stats.AuthorizationsConfirmed + stats.AuthorizationsExpired;
        var refused = sources.Refusals.Since(windowStart);
        var identify = sources.Authorizations.GetIdentifyCapacity();

        return new
        {
            GeneratedAt = now,
            WindowMinutes = window,
            BucketSeconds = bucketSeconds,
            LiveAuthorizations = index.CountLive(now),
            Identify = new
            {
                identify.Held,
                identify.Free,
                identify.PerLifetime,
                LifetimeSeconds = (int)identify.Lifetime.TotalSeconds,
            },
            Totals = new
            {
                Created = stats.AuthorizationsCreated,
                Confirmed = stats.AuthorizationsConfirmed,
                Expired = stats.AuthorizationsExpired,
                ConfirmationRate = finished == 0
                    ? (double?)null
                    : Math.Round(100.0 * stats.AuthorizationsConfirmed / finished, 1),
                stats.CallsMatched,
                stats.CallsUnmatched,

                // The same attempts as the webhook chart, so the card and the chart agree.
                WebhookAttemptsOk = b.Sum(x => x.WebhookAttemptsOk),
                WebhookAttemptsFailed = b.Sum(x => x.WebhookAttemptsFailed),
                stats.WebhooksPending,
                Refused402 = refused.Sum(r => r.Quota),
                Refused429 = refused.Sum(r => r.RateLimited),
                Refused503 = refused.Sum(r => r.PoolFull),
            },
            Tokens = await PerTokenAsync(sources, windowStart, refused, cancellationToken),
            Series = new
            {
                T = b.Select(x => x.Start.ToUnixTimeMilliseconds()),
                Created = b.Select(x => x.Created),
                Confirmed = b.Select(x => x.Confirmed),
                Expired = b.Select(x => x.Expired),
                Rate = b.Select(x =>
                    x.Confirmed + x.Expired == 0
                        ? (double?)null
                        : Math.Round(100.0 * x.Confirmed / (x.Confirmed + x.Expired), 1)),
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
            },
        };
    }

    /// <summary>Each token with activity in the window: what its authorizations became, and its refusals.</summary>
    private static async Task<object[]> PerTokenAsync(
        DashboardSources sources,
        DateTimeOffset since,
        IReadOnlyList<RefusalCount> refused,
        CancellationToken cancellationToken)
    {
        var statistics = await sources.Activity.GetTokenStatisticsAsync(since, cancellationToken);
        var created = statistics.ToDictionary(t => t.TokenId);
        var refusals = refused.ToDictionary(r => r.TokenId);
        var names = (await sources.Tokens.ListAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Name);
        return
        [
            .. created.Keys.Union(refusals.Keys).Order().Select(id =>
            {
                var c = created.GetValueOrDefault(id) ?? new TokenStatistics(id, 0, 0, 0);
                var r = refusals.GetValueOrDefault(id) ?? new RefusalCount(id, 0, 0, 0);
                var finished = c.Confirmed + c.Expired;
                return (object)new
                {
                    Id = id,
                    Name = names.GetValueOrDefault(id, ""),
                    c.Created,
                    c.Confirmed,
                    c.Expired,
                    ConfirmationRate = finished == 0 ? (double?)null : Math.Round(100.0 * c.Confirmed / finished, 1),
                    Refused402 = r.Quota,
                    Refused429 = r.RateLimited,
                    Refused503 = r.PoolFull,
                };
            }),
        ];
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
            Labels = Enumerable.Range(0, bins).Select(i => $"{i * width}–{Math.Min(total, (i + 1) * width)}"),
            Counts = values,
        };
    }
}

/// <summary>
/// What the dashboard reads: persisted data through Core's ActivityAdmin and TokenAdmin, and this process's counters.
/// </summary>
internal sealed record DashboardSources(
    ActivityAdmin Activity,
    TokenAdmin Tokens,
    AuthorizationIndex Index,
    AuthorizationService Authorizations,
    SipDeniedCounter SipDenied,
    RefusalCounter Refusals,
    IOptions<AuthorizationOptions> Options,
    TimeProvider Time);
