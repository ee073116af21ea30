using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Backcall.Sip.Tests.Support;
using Backcall.Testing;

namespace Backcall.Sip.Tests.Server;

/// <summary>
/// The real server's <c>tls:</c> endpoint on loopback, with a CA and certificates made by the test. The peer is
/// our own call client: Debian's sipp is built without TLS (no <c>-t l1</c>).
/// </summary>
public sealed class TlsTransportTests : IDisposable
{
    private static readonly TimeSpan Functional = TimeSpan.FromSeconds(30);
    private readonly TestCertificates _certificates = new();

    private async Task<SipServer> StartAsync(TestInviteHandler handler, Action<SipOptions>? configure = null)
    {
        var options = new SipOptions
        {
            Endpoints = "tls:127.0.0.1:0,tls:[::1]:0",
            Tls = new SipTlsOptions
            {
                CertificateFile = _certificates.CertificateFile,
                KeyFile = _certificates.KeyFile,
            },
        };
        configure?.Invoke(options);
        var server = new SipServer(options, handler);
        await server.StartAsync();
        return server;
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task A_trunk_calling_over_tls_gets_the_486_on_the_same_connection(AddressFamily family)
    {
        _certificates.WritePem();
        var handler = new TestInviteHandler();
        await using var server = await StartAsync(handler);
        var endpoint = server.BoundEndpoints.Single(e => e.EndPoint.AddressFamily == family);
        Assert.StartsWith("tls:", endpoint.ToString(), StringComparison.Ordinal);

        var result = await new SipCallClient { TlsCaFile = _certificates.CaFile }
            .CallAsync(endpoint, "+79991112233", "+74950000001")
            .WaitAsync(Functional);

        Assert.Equal(486, result.StatusCode);
        var call = Assert.Single(handler.Calls);
        Assert.Equal((SipTransport.Tls, "local", "+79991112233"), (call.Transport, call.Trunk.Name, call.CallerNumber));
        await Eventually(() => server.ActiveTransactions == 0); // the ACK came back over TLS and ended it
    }

    [Fact]
    public async Task A_pfx_certificate_with_a_password_file_works_too()
    {
        var (pfx, passwordFile, _) = _certificates.WritePfx();
        await using var server = await StartAsync(
            new TestInviteHandler(),
            o => o.Tls = new SipTlsOptions { CertificateFile = pfx, PasswordFile = passwordFile });
        var result = await new SipCallClient { TlsCaFile = _certificates.CaFile }
            .CallAsync(server.BoundEndpoints[0], "1", "2")
            .WaitAsync(Functional);
        Assert.Equal(486, result.StatusCode);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_ca_fails_and_nothing_is_processed()
    {
        _certificates.WritePem();
        var handler = new TestInviteHandler();
        await using var server = await StartAsync(handler);
        using var strangerCa = new TestCertificates("Another CA");

        // The system store does not know the test's CA; neither does another CA file.
        await Assert.ThrowsAsync<AuthenticationException>(() =>
            new SipCallClient().CallAsync(server.BoundEndpoints[0], "1", "2").WaitAsync(Functional));
        await Assert.ThrowsAsync<AuthenticationException>(() =>
            new SipCallClient { TlsCaFile = strangerCa.CaFile }
                .CallAsync(server.BoundEndpoints[0], "1", "2")
                .WaitAsync(Functional));
        // A trusted CA but a name the certificate does not carry.
        await Assert.ThrowsAsync<AuthenticationException>(() =>
            new SipCallClient { TlsCaFile = _certificates.CaFile, TlsServerName = "carrier.example" }
                .CallAsync(server.BoundEndpoints[0], "1", "2")
                .WaitAsync(Functional));
        Assert.Empty(handler.Calls);
    }

    [Fact]
    public async Task A_renewed_certificate_is_served_to_new_connections_without_a_restart()
    {
        var first = _certificates.WritePem("first.backcall.test");
        await using var server = await StartAsync(new TestInviteHandler());
        var endpoint = server.BoundEndpoints[0];
        Assert.Equal(first.Thumbprint, (await PeerCertificateAsync(endpoint)).Thumbprint);

        var second = _certificates.WritePem("second.backcall.test");
        // Later than now, whatever the file system's clock grain.
        File.SetLastWriteTimeUtc(_certificates.CertificateFile, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal(second.Thumbprint, (await PeerCertificateAsync(endpoint)).Thumbprint);
        var result = await new SipCallClient { TlsCaFile = _certificates.CaFile }
            .CallAsync(endpoint, "1", "2")
            .WaitAsync(Functional);
        Assert.Equal(486, result.StatusCode);

        // A broken renewal keeps the certificate that works.
        await File.WriteAllTextAsync(_certificates.KeyFile, "not a key");
        Assert.Equal(second.Thumbprint, (await PeerCertificateAsync(endpoint)).Thumbprint);
    }

    [Fact]
    public async Task A_stranger_over_tls_gets_403_and_the_connection_closes()
    {
        _certificates.WritePem();
        await using var server = await StartAsync(new TestInviteHandler(), o =>
        {
            o.UntrustedPolicy = SipUntrustedPolicy.Forbidden;
            o.Trunks = [new TrunkOptions { Name = "elsewhere", Sources = ["192.0.2.1"] }];
        });
        var result = await new SipCallClient { TlsCaFile = _certificates.CaFile }
            .CallAsync(server.BoundEndpoints[0], "1", "2")
            .WaitAsync(Functional);
        Assert.Equal(403, result.StatusCode);
        await Eventually(() => server.TcpConnections == 0);
    }

    [Theory]
    [InlineData("", "Sip:Tls:CertificateFile is required")]
    [InlineData("missing.pem", "is not a usable certificate")]
    public void A_tls_endpoint_without_a_usable_certificate_is_a_clear_configuration_error(string file, string message)
    {
        var options = new SipOptions
        {
            Endpoints = "tls:127.0.0.1:0",
            Tls = new SipTlsOptions { CertificateFile = file, KeyFile = "missing.key" },
        };
        Assert.Contains(options.Validate(), e => e.Contains(message, StringComparison.Ordinal));
    }

    private async Task<X509Certificate2> PeerCertificateAsync(SipEndpoint endpoint)
    {
        using var tcp = new TcpClient(endpoint.EndPoint.AddressFamily);
        await tcp.ConnectAsync(endpoint.EndPoint);
        await using var ssl = new SslStream(tcp.GetStream());
        var options = new SslClientAuthenticationOptions { TargetHost = "localhost" };
        options.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        options.CertificateChainPolicy.CustomTrustStore.ImportFromPemFile(_certificates.CaFile);
        await ssl.AuthenticateAsClientAsync(options).WaitAsync(Functional);
        return new X509Certificate2(ssl.RemoteCertificate!);
    }

    internal static async Task Eventually(Func<bool> condition) =>
        Assert.True(await Wait.UntilAsync(condition, Functional));

    public void Dispose() => _certificates.Dispose();
}
