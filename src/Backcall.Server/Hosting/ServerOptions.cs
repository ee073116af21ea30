namespace Backcall.Server.Hosting;

/// <summary>The host's own settings (configuration section <c>Server</c>).</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>Where the SQLite database and the generated keys live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// The base URL apps and users reach this server at (e.g. https://auth.example.com), used for
    /// absolute links such as <c>url_image</c>. Empty: taken from each request.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Reverse proxies (IP addresses or CIDR ranges) whose X-Forwarded-* headers are believed.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>The admin key; empty: generated on first start and kept in the data directory.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// The key of the PBX call endpoint; empty: generated on first start and kept in the data directory.
    /// </summary>
    public string? PbxKey { get; set; }

    /// <summary>
    /// This node's name in a cluster (webhook claims, logs); defaults to the machine name and process id.
    /// </summary>
    public string? NodeName { get; set; }
}
