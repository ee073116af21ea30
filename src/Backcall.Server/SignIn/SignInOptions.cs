namespace Backcall.Server.SignIn;

/// <summary>The <c>SignIn</c> section: Backcall's OpenID Connect provider (docs/sign-in.md).</summary>
public sealed class SignInOptions
{
    public const string Section = "SignIn";

    /// <summary>Serve the provider (discovery, JWKS, authorize, token, userinfo, the sign-in page).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Serve the provider over plain HTTP. Off by default: codes and tokens must travel over TLS (behind a
    /// proxy that terminates it, set Server:TrustedProxies so the scheme is known). For loopback tests only.
    /// </summary>
    public bool AllowHttp { get; set; }

    /// <summary>How long an authorization code may wait for its redemption (single use in any case).</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in page stays usable (it may start several attempts).</summary>
    public TimeSpan PageLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Requests to the sign-in page's API (start, status, check) one client address may make per minute; more are
    /// answered 429. Its own limit, apart from the demo's (<c>Demo:RequestsPerMinute</c>).
    /// </summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>How long a rotated-in key is published before it signs, so clients caching the JWKS know it.</summary>
    public TimeSpan KeyPublishLead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a rotated-out key stays published (and accepted) after its successor signs.</summary>
    public TimeSpan KeyRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The key that encrypts the provider's keys in the database. Empty: <c>oidc.key</c> in the data directory,
    /// created on first start (owner-only). Every node of a cluster needs the same one.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }
}
