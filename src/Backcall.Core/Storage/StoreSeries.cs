namespace Backcall.Core.Storage;

/// <summary>Counts of one time bucket, each event counted in the bucket where it happened.</summary>
/// <param name="Start">The bucket's start.</param>
/// <param name="Created">Authorizations created (by creation time).</param>
/// <param name="Confirmed">Authorizations confirmed (by confirmation time).</param>
/// <param name="Expired">Authorizations that expired unconfirmed (by expiry time).</param>
/// <param name="CallsMatched">Calls that confirmed an authorization.</param>
/// <param name="CallsUnmatched">Every other call (wrong caller, nothing waiting, late, anonymous, repeated
/// confirmation).</param>
/// <param name="WebhookAttemptsOk">Webhook delivery attempts answered 2xx.</param>
/// <param name="WebhookAttemptsFailed">Webhook delivery attempts that failed (non-2xx or no answer).</param>
public sealed record TimeSeriesBucket(
    DateTimeOffset Start,
    long Created,
    long Confirmed,
    long Expired,
    long CallsMatched,
    long CallsUnmatched,
    long WebhookAttemptsOk,
    long WebhookAttemptsFailed);

/// <summary>How many confirmations came this many whole seconds after their authorization was created.</summary>
public sealed record TimeToCallCount(int Seconds, long Count);

/// <summary>Activity since a moment, for the operator console's charts.</summary>
/// <param name="Since">The start of the first bucket (the requested moment, as given).</param>
/// <param name="Bucket">The width of every bucket.</param>
/// <param name="Buckets">Every bucket from <paramref name="Since"/> on, in order, empty ones included.</param>
/// <param name="TimeToCall">Confirmations of authorizations created since <paramref name="Since"/>, by seconds to the
/// call, ascending.</param>
public sealed record TimeSeries(
    DateTimeOffset Since,
    TimeSpan Bucket,
    IReadOnlyList<TimeSeriesBucket> Buckets,
    IReadOnlyList<TimeToCallCount> TimeToCall);
