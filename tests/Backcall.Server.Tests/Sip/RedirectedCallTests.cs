using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// The forwarding attack: the attacker forwards a number of their own to the pool number and gets the victim
/// to call it. The call arrives with the victim's caller ID and a Diversion (RFC 5806) or History-Info
/// (RFC 7044) header; it must confirm nothing (outcome <c>redirected</c>), unless the trunk allows
/// redirected calls. The PBX endpoint's <c>redirected_from</c> says the same over HTTP.
/// </summary>
public sealed class RedirectedCallTests(SipServerFixture fixture) : IClassFixture<SipServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Theory]
    [InlineData("uac-diversion.xml")]
    [InlineData("uac-history-info.xml")]
    public async Task A_call_forwarded_to_the_pool_number_confirms_nothing_and_is_logged_as_redirected(string scenario)
    {
        var verification = await Verification.CreateAsync(Server);
        var attacker = Verification.NewPhone();
        var options = fixture.Sipp(
            SipTransportKind.Udp,
            ("caller", verification.Phone),
            ("diverter", attacker),
            ("called", verification.AuthPhone));

        await SippRunner.RunOkAsync(scenario, options);

        var check = await verification.CheckAsync();
        Assert.Equal("pending", check["status"]!.GetValue<string>());
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal(
            (options.CallId(), "redirected"),
            (row!["call_id"]!.GetValue<string>(), row["outcome"]!.GetValue<string>()));
        Assert.Equal(Verification.E164(attacker), row["redirected_from"]?.GetValue<string>());
        // The JSON log escapes '+': look for the digits.
        Assert.True(
            await Server.WaitForOutputAsync(Verification.E164(attacker)[1..]), "the log names the redirecting number");
    }

    [Fact]
    public async Task A_forwarded_call_confirms_from_a_trunk_allowing_redirects_and_keeps_the_redirecting_number()
    {
        var verification = await Verification.CreateAsync(Server);
        var forwarder = Verification.NewPhone();
        var options = fixture.Sipp(
            SipTransportKind.Udp,
            ("caller", verification.Phone),
            ("diverter", forwarder),
            ("called", verification.AuthPhone)) with
        {
            LocalIp = SipServerFixture.ForwardingPbxIp,
        };

        await SippRunner.RunOkAsync("uac-diversion.xml", options);

        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal("matched", row!["outcome"]!.GetValue<string>());
        Assert.Equal(Verification.E164(forwarder), row["redirected_from"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_pbx_report_with_redirected_from_confirms_nothing()
    {
        var verification = await Verification.CreateAsync(Server);
        var attacker = Verification.E164(Verification.NewPhone());

        var report = await Server.ReportCallAsync(
            Verification.E164(verification.Phone), "+" + verification.AuthPhone, redirectedFrom: attacker);

        Assert.Equal("redirected", report["outcome"]!.GetValue<string>());
        await verification.AssertPendingAsync();
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal(attacker, row!["redirected_from"]?.GetValue<string>());

        // The same user calling straight afterwards is still believed.
        var straight = await Server.ReportCallAsync(
            Verification.E164(verification.Phone), "+" + verification.AuthPhone);
        Assert.Equal("matched", straight["outcome"]!.GetValue<string>());
        await verification.AssertConfirmedAsync();
    }
}
