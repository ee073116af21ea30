using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Backcall.Testing;

/// <summary>
/// A CA and server certificates made by the test (CertificateRequest), written as PEM or PFX files into a
/// temporary directory, as an operator would name them in <c>Sip:Tls</c>.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    public TestCertificates(string name = "Backcall Test CA")
    {
        Directory.CreateDirectory(Root);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        CaFile = Path.Combine(Root, "ca.pem");
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());
    }

    public string Root { get; } =
        Path.Combine(Path.GetTempPath(), "backcall-tls-" + Guid.NewGuid().ToString("N")[..12]);

    public string CaFile { get; }

    public string CertificateFile => Path.Combine(Root, "server.pem");

    public string KeyFile => Path.Combine(Root, "server.key");

    /// <summary>
    /// Issues a server certificate and writes it as PEM (cert + key): for 127.0.0.1, ::1 and localhost, or for exactly
    /// the DNS names <paramref name="dnsNames"/> when given.
    /// </summary>
    public X509Certificate2 WritePem(string subject = "backcall.test", IReadOnlyList<string>? dnsNames = null)
    {
        var certificate = Issue(subject, dnsNames);
        File.WriteAllText(
            CertificateFile, certificate.ExportCertificatePem() + "\n" + _ca.ExportCertificatePem() + "\n");
        File.WriteAllText(KeyFile, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return certificate;
    }

    /// <summary>The same as a PFX with a password in a file.</summary>
    public (string Pfx, string PasswordFile, X509Certificate2 Certificate) WritePfx(string subject = "backcall.test")
    {
        var certificate = Issue(subject);
        var pfx = Path.Combine(Root, "server.pfx");
        var passwordFile = Path.Combine(Root, "pfx.password");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12, "s3cret"));
        File.WriteAllText(passwordFile, "s3cret\n");
        return (pfx, passwordFile, certificate);
    }

    private X509Certificate2 Issue(string subject, IReadOnlyList<string>? dnsNames = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (dnsNames is null)
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            names.AddDnsName("localhost");
        }
        else
        {
            foreach (var name in dnsNames)
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(
            _ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90), serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _ca.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Temp is cleaned by the OS eventually.
        }
    }
}
