using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Backcall.Sip.Tls;

/// <summary>
/// How an outgoing TLS connection judges the peer: its certificate must chain to the system store or, when
/// a CA file is configured, to one of those CAs only; and it must name the host connected to (a DNS name,
/// or an IP address in its subjectAltName). Nothing else is accepted: no "allow any certificate" switch.
/// </summary>
internal sealed class TlsTrust
{
    private readonly X509Certificate2Collection? _roots;

    private TlsTrust(X509Certificate2Collection? roots) => _roots = roots;

    /// <summary>Trust the operating system's CA store.</summary>
    public static TlsTrust System { get; } = new(null);

    /// <summary>Trust exactly the CAs in a PEM file; null or empty path: the system store.</summary>
    /// <exception cref="ArgumentException">The file holds no usable certificate; the message says why.</exception>
    public static TlsTrust FromCaFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return System;
        }

        return TryLoadCaFile(path, out var roots, out var error)
            ? new TlsTrust(roots)
            : throw new ArgumentException(error, nameof(path));
    }

    /// <summary>Loads a PEM CA file; <paramref name="key"/> names the setting in the error message.</summary>
    public static bool TryLoadCaFile(
        string path,
        out X509Certificate2Collection? roots,
        out string error,
        string key = "Sip:Tls:CaFile")
    {
        roots = null;
        try
        {
            var loaded = new X509Certificate2Collection();
            loaded.ImportFromPemFile(path);
            if (loaded.Count == 0)
            {
                error = $"{key} '{path}' holds no PEM certificate.";
                return false;
            }

            roots = loaded;
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error = $"{key} '{path}' cannot be read: {ex.Message}";
            return false;
        }
    }

    /// <summary>
    /// Runs the TLS handshake over <paramref name="inner"/> as a client of <paramref name="targetHost"/>.
    /// </summary>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The peer's certificate is not trusted
    /// or does not name the host.</exception>
    public async Task<SslStream> AuthenticateAsClientAsync(
        Stream inner,
        string targetHost,
        CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions { TargetHost = targetHost };
        if (_roots is not null)
        {
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck, // a private CA rarely publishes revocation lists
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(_roots);
        }

        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
