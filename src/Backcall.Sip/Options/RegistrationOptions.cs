namespace Backcall.Sip;

/// <summary>
/// One account at a provider's registrar (<c>Sip:Registrations:N</c>): Backcall REGISTERs as this user
/// (RFC 3261 §10) and receives the account's calls over the same socket.
/// </summary>
public sealed class RegistrationOptions
{
    /// <summary>Name used as the trunk name in logs, the call log and the admin API.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// The registrar: <c>host[:port]</c> or a <c>sip:</c>/<c>sips:</c> URI, e.g. <c>sip.example.net</c>,
    /// <c>192.0.2.10:5070</c>, <c>sips:sip.example.net</c>. A host name without a port is resolved as RFC 3263
    /// says (SRV, then A/AAAA).
    /// </summary>
    public string Registrar { get; set; } = "";

    /// <summary>udp (default), tcp or tls; a <c>sips:</c> registrar implies tls.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>The account (login): the user part of the address of record.</summary>
    public string Username { get; set; } = "";

    /// <summary>Digest user name when it differs from <see cref="Username"/> (default: Username).</summary>
    public string? AuthUsername { get; set; }

    /// <summary>The password, inline. Prefer <see cref="PasswordFile"/>, an owner-only file.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the password (trailing line break ignored).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>When set, only challenges from this realm are answered.</summary>
    public string? Realm { get; set; }

    /// <summary>Requested registration lifetime in seconds (default 300).</summary>
    public int Expires { get; set; } = 300;

    /// <summary>
    /// The pool number this account delivers: its calls are for it whatever their Request-URI or To say.
    /// </summary>
    public string Number { get; set; } = "";

    /// <summary>Region for national caller numbers (ISO 3166 alpha-2, default RU).</summary>
    public string Region { get; set; } = "RU";

    /// <summary>Whether P-Asserted-Identity from this provider is believed (default true).</summary>
    public bool TrustPai { get; set; } = true;

    /// <summary>
    /// Addresses, CIDR blocks or host names the provider's calls may also come from, besides the registrar's
    /// resolved addresses (host names are re-resolved on their TTL).
    /// </summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>
    /// Over TLS: a PEM file of the CAs the registrar's certificate must chain to (default: <c>Sip:Tls:CaFile</c>, else
    /// the system store). The certificate must also name the registrar's host.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// CRLF keep-alive period on the registration's socket (RFC 5626 §4.4.1; default 25 s, 0 disables).
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Wait after a failed attempt (timeout, 5xx...) before the next one (default 30 s).</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Wait after 403 or rejected credentials, which retrying soon will not fix (default 10 minutes).
    /// </summary>
    public TimeSpan ForbiddenRetryInterval { get; set; } = TimeSpan.FromMinutes(10);
}
