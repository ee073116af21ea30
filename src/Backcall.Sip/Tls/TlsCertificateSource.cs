using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Backcall.Sip.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Tls;

/// <summary>
/// The certificate <c>tls:</c> endpoints present, from the files in <see cref="SipTlsOptions"/>. Each new
/// connection asks for <see cref="Current"/>, which re-reads the files when their size or time changed (a
/// stat per handshake, far cheaper than the handshake): renewed certificates take effect without a restart,
/// and a half-written renewal keeps the old certificate until the files load again.
/// </summary>
internal sealed class TlsCertificateSource
{
    private readonly SipTlsOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private string _stamp;
    private SslStreamCertificateContext _current;

    private TlsCertificateSource(
        SipTlsOptions options,
        ILogger logger,
        SslStreamCertificateContext current,
        string stamp)
    {
        _options = options;
        _logger = logger;
        _current = current;
        _stamp = stamp;
    }

    /// <summary>Loads the certificate now.</summary>
    /// <exception cref="ArgumentException">The files do not hold a usable certificate; the message says
    /// why.</exception>
    public static TlsCertificateSource Load(SipTlsOptions options, ILogger logger)
    {
        var stamp = Stamp(options);
        if (!TryLoad(options, out var context, out var error))
        {
            throw new ArgumentException(error, nameof(options));
        }

        return new TlsCertificateSource(options, logger, context!, stamp);
    }

    /// <summary>The certificate to present on a new connection, re-read first if its files changed.</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            var stamp = Stamp(_options);
            lock (_lock)
            {
                if (stamp == _stamp)
                {
                    return _current;
                }

                if (TryLoad(_options, out var context, out var error))
                {
                    _current = context!;
                    SipLog.TlsCertificateLoaded(
                        _logger,
                        context!.TargetCertificate.Subject,
                        context.TargetCertificate.NotAfter);
                }
                else
                {
                    SipLog.TlsCertificateReloadFailed(_logger, error);
                }

                _stamp = stamp; // a broken file is reported once, not on every handshake
                return _current;
            }
        }
    }

    /// <summary>Reads the certificate and its key from PEM or PFX files, with a one-line error when unusable.</summary>
    public static bool TryLoad(SipTlsOptions options, out SslStreamCertificateContext? context, out string error)
    {
        context = null;
        var file = options.CertificateFile ?? "";
        try
        {
            var password = string.IsNullOrWhiteSpace(options.PasswordFile)
                ? null
                : File.ReadAllText(options.PasswordFile).TrimEnd('\r', '\n');
            var isPfx =
                file.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase)
                || file.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
            X509Certificate2 leaf;
            var chain = new X509Certificate2Collection();
            if (isPfx)
            {
                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(file, password);
                leaf =
                    all.FirstOrDefault(c => c.HasPrivateKey)
                    ?? throw new CryptographicException("the PFX holds no certificate with a private key");
                chain.AddRange(all.Where(c => !ReferenceEquals(c, leaf)).ToArray());
            }
            else
            {
                if (string.IsNullOrWhiteSpace(options.KeyFile))
                {
                    error =
                        $"Sip:Tls:CertificateFile '{file}' is PEM: name its "
                            + "private key in Sip:Tls:KeyFile (or use a .pfx file).";
                    return false;
                }

                leaf = password is null
                    ? X509Certificate2.CreateFromPemFile(file, options.KeyFile)
                    : X509Certificate2.CreateFromEncryptedPemFile(file, password, options.KeyFile);
                var all = new X509Certificate2Collection();
                all.ImportFromPemFile(file);
                chain.AddRange(all.Skip(1).ToArray());
            }

            context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
            error = "";
            return true;
        }
        catch (Exception ex)
            when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            error =
                $"Sip:Tls:CertificateFile '{file}' (key '{options.KeyFile}') is not a usable certificate: {ex.Message}";
            return false;
        }
    }

    private static string Stamp(SipTlsOptions options) =>
        string.Join('|', new[] { options.CertificateFile, options.KeyFile, options.PasswordFile }.Select(StampOf));

    private static string StampOf(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "";
        }

        var info = new FileInfo(path);
        return info.Exists ? $"{info.LastWriteTimeUtc.Ticks}:{info.Length}" : "missing";
    }
}
