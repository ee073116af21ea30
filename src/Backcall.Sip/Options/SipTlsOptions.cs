namespace Backcall.Sip;

/// <summary>
/// TLS settings (<c>Sip:Tls</c>): the certificate <c>tls:</c> endpoints present, read from files and
/// re-read when they change (a new connection gets the new certificate, no restart), and the CAs that
/// outgoing TLS connections trust.
/// </summary>
public sealed class SipTlsOptions
{
    /// <summary>
    /// The server certificate (<c>Sip:Tls:CertificateFile</c>): a PEM file (the certificate, then any
    /// intermediates) with <see cref="KeyFile"/>, or a PFX/PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) holding the key.
    /// </summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificateFile"/> (<c>Sip:Tls:KeyFile</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// A file holding the password of the PFX or of an encrypted PEM key (<c>Sip:Tls:PasswordFile</c>; keep it
    /// owner-only). None: the file is not encrypted.
    /// </summary>
    public string? PasswordFile { get; set; }

    /// <summary>
    /// PEM file of the CA certificates outgoing TLS connections trust (<c>Sip:Tls:CaFile</c>); none: the
    /// system store. The peer's certificate must also name the host connected to.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// Problems with these settings; <paramref name="listening"/>: a <c>tls:</c> endpoint is configured.
    /// </summary>
    internal IEnumerable<string> Validate(bool listening)
    {
        if (listening && string.IsNullOrWhiteSpace(CertificateFile))
        {
            yield return "Sip:Tls:CertificateFile is required for a tls: endpoint (a PEM certificate with "
                + "Sip:Tls:KeyFile, or a PFX file).";
        }

        if (!string.IsNullOrWhiteSpace(CertificateFile))
        {
            if (Tls.TlsCertificateSource.TryLoad(this, out _, out var error) is false)
            {
                yield return error;
            }
        }
        else if (!string.IsNullOrWhiteSpace(KeyFile))
        {
            yield return "Sip:Tls:KeyFile is set without Sip:Tls:CertificateFile.";
        }

        if (!string.IsNullOrWhiteSpace(CaFile) && Tls.TlsTrust.TryLoadCaFile(CaFile, out _, out var caError) is false)
        {
            yield return caError;
        }
    }
}
