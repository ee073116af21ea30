using System.Text.RegularExpressions;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// Registration over TLS to a real Kamailio registrar whose certificate a CA made by the test signed. The
/// registrar is named by host (resolved by a dnsmasq the test starts): that name, not the address, is what its
/// certificate must carry. A call through the provider reaches Backcall over the registration's TLS connection.
/// </summary>
public sealed partial class RegistrationTlsTests : IDisposable
{
    private const string Host = "sip.provider.test";
    private readonly TestCertificates _ca = new("Provider Test CA");

    [Fact]
    public async Task Registers_over_tls_and_a_call_through_the_provider_comes_back_over_that_connection_and_confirms()
    {
        _ca.WritePem(Host, [Host]);
        using var account = new ProviderAccount();
        await using var registrar = await ProviderAccount.StartRegistrarAsync(tls: (_ca.CertificateFile, _ca.KeyFile));
        await using var dns = await DnsmasqInstance.StartAsync([$"host-record={Host},127.0.0.1"]);
        var settings = Settings(account, registrar, dns, _ca.CaFile);
        settings["BACKCALL_Sip__Registrations__0__KeepAliveInterval"] = "00:00:01"; // CRLF pings over TLS meanwhile
        await using var server = await BackcallProcess.StartAsync(environment: settings);

        var status = await ProviderAccount.WaitForAsync(server, ProviderAccount.IsRegistered, "registered");
        Assert.Equal($"tls:127.0.0.1:{registrar.TlsPort}", status["registrar_address"]!.GetValue<string>());
        Assert.Equal("tls", status["transport"]!.GetValue<string>());
        await server.AddNumbersAsync(ProviderAccount.Number);
        var verification = await Verification.CreateAsync(server);

        // The caller reaches the provider over UDP; the provider delivers to the sips: Contact over our TLS connection.
        await SippRunner.RunOkAsync("uac-reject.xml", ProviderAccount.CallThrough(registrar.Port, verification.Phone));

        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(server, ProviderAccount.Number));
        var source = row!["source"]!.GetValue<string>();
        Assert.Contains("trunk=provider", source, StringComparison.Ordinal);
        Assert.StartsWith("sip:tls:127.0.0.1:", source, StringComparison.Ordinal);
        Assert.True(
            await registrar.WaitForOutputAsync(l => l.Contains("provider: INVITE", StringComparison.Ordinal)
                && l.Contains("sips:700100@", StringComparison.Ordinal)),
            string.Join('\n', registrar.Output));
    }

    [Fact]
    public async Task A_registrar_certificate_from_an_untrusted_ca_fails_visibly()
    {
        _ca.WritePem(Host, [Host]);
        using var other = new TestCertificates("Somebody Else's CA");
        using var account = new ProviderAccount();
        await using var registrar = await ProviderAccount.StartRegistrarAsync(tls: (_ca.CertificateFile, _ca.KeyFile));
        await using var dns = await DnsmasqInstance.StartAsync([$"host-record={Host},127.0.0.1"]);
        await using var server = await BackcallProcess.StartAsync(
            environment: Settings(account, registrar, dns, other.CaFile));

        await AssertFailsVisiblyAsync(server, "UntrustedRoot");
    }

    [Fact]
    public async Task A_registrar_certificate_for_another_name_fails_visibly()
    {
        _ca.WritePem("other.provider.test", ["other.provider.test"]);
        using var account = new ProviderAccount();
        await using var registrar = await ProviderAccount.StartRegistrarAsync(tls: (_ca.CertificateFile, _ca.KeyFile));
        await using var dns = await DnsmasqInstance.StartAsync([$"host-record={Host},127.0.0.1"]);
        await using var server = await BackcallProcess.StartAsync(
            environment: Settings(account, registrar, dns, _ca.CaFile));

        await AssertFailsVisiblyAsync(server, "RemoteCertificateNameMismatch");
    }

    public void Dispose() => _ca.Dispose();

    private static Dictionary<string, string> Settings(
        ProviderAccount account, KamailioInstance registrar, DnsmasqInstance dns, string caFile)
    {
        var settings = account.Settings(
            $"sips:{Host}:{registrar.TlsPort}", "tls", extra: [("CaFile", caFile), ("RetryInterval", "00:00:30")]);
        settings["BACKCALL_Sip__DnsServers"] = dns.Server;
        return settings;
    }

    private static async Task AssertFailsVisiblyAsync(BackcallProcess server, string why)
    {
        var status = await ProviderAccount.WaitForAsync(
            server, s => s["state"]!.GetValue<string>() == "failing", "failed");

        Assert.Equal(0, status["last_status"]!.GetValue<int>());
        var reason = status["last_reason"]!.GetValue<string>();
        Assert.Contains($"TLS handshake with {Host} failed", reason, StringComparison.Ordinal);
        Assert.Contains(why, reason, StringComparison.Ordinal);
        await server.AssertOutputAsync($"SIP registration provider at sips:{Host}:");
        using var http = server.CreateClient();
        var metrics = await http.GetStringAsync("metrics");
        Assert.Matches(UpIsZero(), metrics);
        Assert.Matches(FailuresCounted(), metrics);
    }

    [GeneratedRegex(@"(?m)^backcall_sip_registrations_up\{[^}]*registration=""provider""[^}]*\} 0$")]
    private static partial Regex UpIsZero();

    [GeneratedRegex(@"(?m)^backcall_sip_registrations_failures\{[^}]*registration=""provider""[^}]*\} [1-9]")]
    private static partial Regex FailuresCounted();
}
