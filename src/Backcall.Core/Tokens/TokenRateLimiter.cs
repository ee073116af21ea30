using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Backcall.Core.Tokens;

/// <summary>Per-token request rate limit (a token bucket per token), applied to every API request.</summary>
public sealed class TokenRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<long> _limiter;

    public TokenRateLimiter(IOptions<TokenOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<long, long>(tokenId => RateLimitPartition.GetTokenBucketLimiter(
            tokenId,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.Burst,
                TokensPerPeriod = o.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>True when the request may go on; else how long to wait.</summary>
    public bool TryAcquire(long tokenId, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(tokenId);
        retryAfter = lease.IsAcquired ? TimeSpan.Zero
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
