namespace Backcall.Server.Webhooks;

/// <summary>
/// Webhook delivery settings (configuration section <c>Webhooks</c>); see docs/webhooks.md. The allowed range of
/// each is checked by <see cref="WebhookOptionsValidator"/>.
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How long one attempt may take, connection and response headers included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The wait after the first failed attempt; each later wait doubles, up to <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts (also the cap on a receiver's Retry-After).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after the event attempts go on: the first failed attempt made this long after the
    /// delivery was created marks it failed, so the last attempt is never earlier than this.
    /// </summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Each computed wait is lengthened by a random fraction up to this, so retries of many deliveries spread out.
    /// </summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Deliveries in flight at once on this node.</summary>
    public int MaxConcurrency { get; set; } = 128;

    /// <summary>
    /// Deliveries in flight at once to one host, so a slow receiver cannot take every slot. One app's
    /// throughput is about this many divided by its receiver's response time (32 at 5 ms: 6,400/s).
    /// </summary>
    public int MaxConcurrencyPerHost { get; set; } = 32;

    /// <summary>How often the outbox is looked at for deliveries made due by time or by another node.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How much of a response body is read (and then dropped); the rest is not downloaded.</summary>
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>
    /// Networks (CIDR, or single addresses) webhooks may reach although they are loopback, private,
    /// link-local or otherwise internal, e.g. <c>10.20.0.0/16</c> for receivers inside your own network.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>
    /// How long a claimed delivery stays reserved for this node: it covers the attempt itself plus the
    /// time spent waiting for a free slot (claims that cannot start in time are handed back at once);
    /// after a crash, claimed deliveries are retried when it ends.
    /// </summary>
    public TimeSpan ClaimLease => Timeout + TimeSpan.FromSeconds(30);
}
