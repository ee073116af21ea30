using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// Host names resolved through a real DNS server the test starts on loopback (dnsmasq, with
/// <c>Sip:DnsServers</c> pointing at it): a registrar named only by its domain is found by SRV (RFC 3263),
/// and a trunk whose Sources hold a host name trusts that name's address and nothing else.
/// </summary>
public sealed class RegistrationDnsTests
{
    [Fact]
    public async Task A_registrar_named_by_its_domain_is_found_by_srv_and_its_calls_get_through()
    {
        using var account = new ProviderAccount();
        await using var registrar = await ProviderAccount.StartRegistrarAsync();
        await using var dns = await DnsmasqInstance.StartAsync([
            $"srv-host=_sip._udp.provider.test,sip1.provider.test,{registrar.Port},10,100",
            "host-record=sip1.provider.test,127.0.0.1",
        ]);
        var settings = account.Settings("provider.test", "udp");
        settings["BACKCALL_Sip__DnsServers"] = dns.Server;
        await using var server = await BackcallProcess.StartAsync(environment: settings);

        var status = await ProviderAccount.WaitForAsync(server, ProviderAccount.IsRegistered, "registered");
        Assert.Equal($"udp:127.0.0.1:{registrar.Port}", status["registrar_address"]!.GetValue<string>());

        await server.AddNumbersAsync(ProviderAccount.Number);
        var verification = await Verification.CreateAsync(server);
        await SippRunner.RunOkAsync("uac-reject.xml", ProviderAccount.CallThrough(registrar.Port, verification.Phone));
        await verification.AssertConfirmedAsync();
    }

    [Fact]
    public async Task A_trunk_source_given_as_a_host_name_is_trusted_at_its_address_only()
    {
        await using var dns = await DnsmasqInstance.StartAsync(["host-record=pbx.office.test,127.0.0.4"]);
        await using var server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["BACKCALL_Sip__DnsServers"] = dns.Server,
            ["BACKCALL_Sip__UntrustedPolicy"] = "Forbidden",
            ["BACKCALL_Sip__Trunks__0__Name"] = "office-pbx",
            ["BACKCALL_Sip__Trunks__0__Sources__0"] = "pbx.office.test",
        });
        await server.AssertOutputAsync("SIP source pbx.office.test resolved to 127.0.0.4");
        await server.AddNumbersAsync("+79640000001");
        var verification = await Verification.CreateAsync(server);
        var backcall = server.Announced["sip udp"];

        await SippRunner.RunOkAsync("uac-forbidden.xml", Call(backcall, "127.0.0.5", verification));
        await verification.AssertPendingAsync();
        await SippRunner.RunOkAsync("uac-reject.xml", Call(backcall, "127.0.0.4", verification));
        await verification.AssertConfirmedAsync();
    }

    private static SippOptions Call(string backcall, string from, Verification verification) =>
        new(SipTransportKind.Udp, backcall)
        {
            Keys = new Dictionary<string, string>
            {
                ["caller"] = verification.Phone,
                ["called"] = verification.AuthPhone,
            },
            LocalIp = from,
        };
}
