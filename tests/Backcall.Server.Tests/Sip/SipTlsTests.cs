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

                // The handshake deadline guards against slow peers (TcpProtectionTests, on a fake clock); here a
                // machine too busy to finish a TLS handshake in 10 s must not turn into a failed call.
                ["BACKCALL_Sip__TcpMessageTimeout"] = "00:02:00",

                // Each connection's close and its reason, in the output a failure prints.
                ["Logging__LogLevel__Backcall.Sip"] = "Debug",
            });
        await server.AddNumbersAsync("+79640000001");
        var verification = await Verification.CreateAsync(server);

        var endpoint = SipEndpoint.Parse("tls:" + server.Announced["sip tls"]);
        var result = await new SipCallClient { TlsCaFile = certificates.CaFile }
            .CallAsync(endpoint, verification.Phone, verification.AuthPhone).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(
            result.StatusCode == 486,
            $"{result.StatusCode} {result.ReasonPhrase}\n" + string.Join('\n', server.Output));
        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(server, Verification.E164(verification.Phone)));
        Assert.StartsWith("sip:tls:127.0.0.1:", row!["source"]!.GetValue<string>(), StringComparison.Ordinal);

        // backcall call over TLS: trusting the test CA it gets the 486 and confirms; trusting only the system store it
        // refuses the certificate in one line; a CA file that is not one is named.
        var second = await Verification.CreateAsync(server);
        var tls = server.Announced["sip tls"];
        var called = await server.RunCliAsync(
            "call",
            "--from", second.Phone,
            "--to", second.AuthPhone,
            "--server", tls,
            "--transport", "tls",
            "--ca-file", certificates.CaFile);
        Assert.True(called.ExitCode == 0, called.ToString());
        Assert.Matches($@"^486 Busy Here: matched authorization {second.Id} ", called.Stdout);
        await second.AssertConfirmedAsync();

        var untrusted = await server.RunCliAsync(
            "call", "--from", Verification.NewPhone(), "--to", second.AuthPhone, "--server", tls, "--transport", "tls");
        Assert.True(untrusted.ExitCode == 1, untrusted.ToString());
        Assert.Matches(
            $@"^backcall: TLS handshake with tls:{System.Text.RegularExpressions.Regex.Escape(tls)} failed: "
                + ".*(UntrustedRoot|PartialChain)",
            untrusted.Stderr);
        Assert.Single(untrusted.Stderr.Trim().Split('\n'));

        var notCa = await server.RunCliAsync(
            "call",
            "--from", Verification.NewPhone(),
            "--to", second.AuthPhone,
            "--server", tls,
            "--transport", "tls",
            "--ca-file", "/etc/hostname");
        Assert.True(notCa.ExitCode == 1, notCa.ToString());
        Assert.Contains("--ca-file '/etc/hostname' holds no PEM certificate", notCa.Stderr, StringComparison.Ordinal);
        var notTls = await server.RunCliAsync(
            "call",
            "--from", Verification.NewPhone(),
            "--to", second.AuthPhone,
            "--server", server.Announced["sip udp"],
            "--ca-file", certificates.CaFile);
        Assert.True(notTls.ExitCode == 1, notTls.ToString());
        Assert.Contains("--ca-file applies to --transport tls only", notTls.Stderr, StringComparison.Ordinal);
    }
}
