namespace Backcall.Server.Metrics;

/// <summary>Where <c>/metrics</c> is served and who may read it (configuration section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// A listen URL of its own for <c>/metrics</c> (e.g. <c>http://10.0.0.5:9464</c>, an address only the
    /// monitoring network reaches); then <c>/metrics</c> answers there only and nothing else does. Empty:
    /// on the main HTTP address.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>When set, a scrape must send <c>Authorization: Bearer KEY</c> (at least 16 characters).</summary>
    public string? Key { get; set; }

    /// <summary>The port of <see cref="Url"/>, or null when metrics share the main address.</summary>
    public int? Port => Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.Port : null;
}
