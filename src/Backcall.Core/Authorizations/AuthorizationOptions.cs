namespace Backcall.Core.Authorizations;

/// <summary>Settings of the authorization flow (configuration section <c>Authorizations</c>).</summary>
public sealed class AuthorizationOptions
{
    public const string Section = "Authorizations";

    /// <summary>How long a handed-out number waits for the call. The contract says 120 s.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Region for numbers written without a country code (ISO 3166 two letters).</summary>
    public string DefaultRegion { get; set; } = "RU";

    /// <summary>New authorizations one token may get per user phone within <see cref="PerPhoneWindow"/>.</summary>
    public int PerPhoneLimit { get; set; } = 10;

    /// <summary>
    /// New authorizations per user phone within <see cref="PerPhoneWindow"/>, all tokens together: higher
    /// than <see cref="PerPhoneLimit"/>, so one app using up its own limit leaves room for the others.
    /// </summary>
    public int PerPhoneTotalLimit { get; set; } = 30;

    public TimeSpan PerPhoneWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Live authorizations one token may hold for one user phone (each holds a pool number for that phone),
    /// so one app cannot take the whole pool away from a phone. A token's newer request supersedes its
    /// older pending one, so this bounds requests of one token for one phone racing each other.
    /// </summary>
    public int MaxLivePerTokenPhone { get; set; } = 3;

    /// <summary>
    /// The share of the enabled pool, in percent, one token may hold at once in identify mode (each such
    /// authorization holds a whole number): the rest stays free for other apps. At least one number.
    /// </summary>
    public int IdentifyPoolShare { get; set; } = 50;

    /// <summary>
    /// How long an expiry notice waits before it is sent: a call received just before the expiry but
    /// written after the sweep still confirms, and withdraws the notice, which is then never sent.
    /// </summary>
    public TimeSpan ExpiryNoticeDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a finished authorization stays in memory, so that late polls and late calls are answered
    /// without reading the database.
    /// </summary>
    public TimeSpan KeepFinishedInMemory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Authorizations and call-log rows older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
