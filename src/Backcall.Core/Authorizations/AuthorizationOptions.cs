using System.ComponentModel.DataAnnotations;

namespace Backcall.Core.Authorizations;

/// <summary>Settings of the authorization flow (configuration section <c>Authorizations</c>).</summary>
public sealed class AuthorizationOptions
{
    public const string Section = "Authorizations";

    /// <summary>How long a handed-out number waits for the call. The contract says 120 s.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Region for numbers written without a country code (ISO 3166 two letters).</summary>
    [Required, RegularExpression("^[A-Z]{2}$")]
    public string DefaultRegion { get; set; } = "RU";

    /// <summary>New authorizations allowed per user phone within <see cref="PerPhoneWindow"/> (all tokens together).</summary>
    [Range(1, 1_000_000)]
    public int PerPhoneLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PerPhoneWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a finished authorization stays in memory, so that late polls and late calls are answered
    /// without reading the database.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan KeepFinishedInMemory { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Authorizations and call-log rows older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
