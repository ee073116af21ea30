using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// Backcall (the real process) as a provider's customer: it registers with Digest to a real Kamailio
/// acting as the provider's registrar, and a caller (sipp) dialling the account's number through that
/// Kamailio reaches Backcall over the registration and confirms the authorization.
/// </summary>
public sealed class RegistrationTests
{
    [Theory]
    [InlineData("udp", "MD5")]
    [InlineData("tcp", "SHA-256")]
    public async Task A_call_through_the_provider_reaches_backcall_over_its_registration_and_confirms(
        string transport, string algorithm)
    {
        using var account = new ProviderAccount();
        await using var registrar = await ProviderAccount.StartRegistrarAsync(algorithm: algorithm);
        await using var server = await BackcallProcess.StartAsync(
            environment: account.Settings($"127.0.0.1:{registrar.Port}", transport));
        await ProviderAccount.WaitForAsync(server, ProviderAccount.IsRegistered, "registered");
        await server.AddNumbersAsync(ProviderAccount.Number);
        var verification = await Verification.CreateAsync(server);
        Assert.Equal(ProviderAccount.Number, "+" + verification.AuthPhone.TrimStart('+'));

        var call = ProviderAccount.CallThrough(
            registrar.Port, verification.Phone, transport == "udp" ? SipTransportKind.Udp : SipTransportKind.Tcp);
        await SippRunner.RunOkAsync("uac-reject.xml", call);

        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(server, ProviderAccount.Number));
        Assert.Contains("trunk=provider", row!["source"]!.GetValue<string>(), StringComparison.Ordinal);

        // The CLI (another process) shows the live state the server keeps in its data directory.
        var list = await server.RunCliAsync("trunk", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("provider", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("registered until", list.Stdout, StringComparison.Ordinal);
        var json = await server.RunCliAsync("trunk", "list", "--json");
        Assert.Contains("\"state\":\"registered\"", json.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", json.Stdout, StringComparison.Ordinal);

        using var http = server.CreateClient();
        var metrics = await http.GetStringAsync("metrics");
        Assert.Equal("1", RegistrationUp(metrics));
    }

    [Fact]
    public async Task A_wrong_password_fails_visibly_in_state_log_and_metrics()
    {
        using var account = new ProviderAccount(password: "not-the-password");
        await using var registrar = await ProviderAccount.StartRegistrarAsync();
        await using var server = await BackcallProcess.StartAsync(
            environment: account.Settings($"127.0.0.1:{registrar.Port}", "udp"));

        var status = await ProviderAccount.WaitForAsync(
            server, s => s["state"]!.GetValue<string>() == "failing", "failed");

        Assert.Equal(401, status["last_status"]!.GetValue<int>());
        Assert.Contains("credentials rejected", status["last_reason"]!.GetValue<string>(), StringComparison.Ordinal);
        await server.AssertOutputAsync("SIP registration provider at 127.0.0.1:");
        using var http = server.CreateClient();
        var metrics = await http.GetStringAsync("metrics");
        Assert.Equal("0", RegistrationUp(metrics));
        Assert.DoesNotContain("not-the-password", string.Join('\n', server.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_registrar_restart_backcall_registers_again_and_calls_get_through()
    {
        using var account = new ProviderAccount();
        await using var registrar = await ProviderAccount.StartRegistrarAsync();
        await using var server = await BackcallProcess.StartAsync(
            environment: account.Settings($"127.0.0.1:{registrar.Port}", "tcp"));
        var before = await ProviderAccount.WaitForAsync(server, ProviderAccount.IsRegistered, "registered");
        await server.AddNumbersAsync(ProviderAccount.Number);

        // The restart loses Kamailio's location table and closes the connection: Backcall must register again
        // on a new one at once, not at its next refresh (five minutes away).
        await registrar.RestartAsync();
        var registeredBefore = before["last_registered"]!.GetValue<DateTimeOffset>();
        await ProviderAccount.WaitForAsync(
            server,
            s => ProviderAccount.IsRegistered(s) && s["last_registered"]!.GetValue<DateTimeOffset>() > registeredBefore,
            "registered again");

        var verification = await Verification.CreateAsync(server);
        await SippRunner.RunOkAsync(
            "uac-reject.xml", ProviderAccount.CallThrough(registrar.Port, verification.Phone, SipTransportKind.Tcp));
        await verification.AssertConfirmedAsync();
    }

    /// <summary>
    /// The provider registration's up gauge in a Prometheus scrape (the exporter may add labels of its own).
    /// </summary>
    private static string RegistrationUp(string metrics)
    {
        var sample = System.Text.RegularExpressions.Regex.Match(
            metrics,
            @"^backcall_sip_registrations_up\{[^}]*registration=""provider""[^}]*\} (\S+)",
            System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(sample.Success, "no backcall_sip_registrations_up for provider in /metrics:\n" + metrics);
        return sample.Groups[1].Value;
    }
}
