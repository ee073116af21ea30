using Backcall.Server.Tests.Infrastructure;
using Backcall.Sip;
using Backcall.Testing;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// The real server with a <c>tls:</c> endpoint and certificate files named in its configuration, called by a
/// trunk over TLS that trusts the test's CA: the call is matched and confirms the authorization as over TCP.
/// </summary>
public sealed class SipTlsTests
{
    [Fact]
    public async Task A_call_over_tls_is_rejected_and_confirms_the_authorization()
    {
        using var certificates = new TestCertificates();
        certificates.WritePem();
        await using var server = await BackcallProcess.StartAsync(
            extraArgs: ["--sip", "udp:127.0.0.1:0,tls:127.0.0.1:0"],
            environment: new Dictionary<string, string>
            {
                ["BACKCALL_Sip__Tls__CertificateFile"] = certificates.CertificateFile,
                ["BACKCALL_Sip__Tls__KeyFile"] = certificates.KeyFile,
            });
        await server.AddNumbersAsync("+79640000001");
        var verification = await Verification.CreateAsync(server);

        var endpoint = SipEndpoint.Parse("tls:" + server.Announced["sip tls"]);
        var result = await new SipCallClient { TlsCaFile = certificates.CaFile }
            .CallAsync(endpoint, verification.Phone, verification.AuthPhone).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.StatusCode == 486, string.Join('\n', server.Output));
        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(server, Verification.E164(verification.Phone)));
        Assert.StartsWith("sip:tls:127.0.0.1:", row!["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
