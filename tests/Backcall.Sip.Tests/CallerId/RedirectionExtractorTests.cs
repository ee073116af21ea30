using Backcall.Sip.CallerId;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.CallerId;

/// <summary>
/// Which INVITEs were forwarded to the called number: Diversion (RFC 5806) always; History-Info (RFC 7044) only
/// for a retargeting to another user (mp, an RFC 4458 cause, or an untagged entry with another number), never for
/// a proxy hop (np) or a registrar's contact lookup (rc).
/// </summary>
public class RedirectionExtractorTests
{
    private static SipRedirection? Extract(string headers) =>
        RedirectionExtractor.Extract(SipText.ParseRequest(SipText.Invite(extra: headers)));

    [Fact]
    public void A_call_dialled_straight_is_not_redirected() => Assert.Null(Extract(""));

    [Theory]
    [InlineData(
        "Diversion: <sip:+79005556677@carrier.example;user=phone>;reason=unconditional;counter=1\n", "+79005556677")]
    [InlineData(
        "Diversion: \"Office\" <tel:+7-900-555-66-77>;reason=user-busy;screen=no;privacy=off\n", "+79005556677")]
    [InlineData("DIVERSION: <sip:89005556677@gw.example>;reason=no-answer\n", "89005556677")]
    public void Diversion_names_the_forwarding_number(string header, string number) =>
        Assert.Equal(new SipRedirection(number, SipRedirectionHeader.Diversion), Extract(header));

    [Fact]
    public void Of_several_diversions_the_top_most_is_the_one_that_forwarded_here()
    {
        var twoHeaders = Extract(
            "Diversion: <sip:+79002222222@b.example>;reason=unconditional\n"
            + "Diversion: <sip:+79001111111@a.example>;reason=user-busy\n");
        Assert.Equal("+79002222222", twoHeaders!.Number);
        var oneHeader = Extract("Diversion: <sip:+79002222222@b.example>;reason=deflection,"
            + " <sip:+79001111111@a.example>;reason=no-answer\n");
        Assert.Equal("+79002222222", oneHeader!.Number);
    }

    [Theory]
    [InlineData("Diversion: <sip:+79005556677@carrier.example>;reason=unconditional;privacy=full\n")]
    [InlineData("Diversion: <sip:anonymous@anonymous.invalid>;reason=unconditional\n")]
    public void A_hidden_forwarding_number_still_redirects(string header) =>
        Assert.Equal(new SipRedirection(null, SipRedirectionHeader.Diversion), Extract(header));

    [Theory]
    // Diverted by the forwarding user's service (mp names the entry it came from), with the RFC 4458 cause.
    [InlineData("History-Info: <sip:+79005556677@carrier.example?Reason=SIP%3Bcause%3D302>;index=1,"
        + " <sip:+74950000001@backcall.example;cause=302>;index=1.1;mp=1\n", "+79005556677")]
    // Only mp: the target user changed.
    [InlineData("History-Info: <sip:+79005556677@carrier.example>;index=1,"
        + " <sip:+74950000001@backcall.example>;index=1.1;mp=1\n", "+79005556677")]
    // Only a cause on the new target (no tags at all).
    [InlineData("History-Info: <sip:+79005556677@carrier.example>;index=1,"
        + " <sip:+74950000001@backcall.example;cause=486>;index=1.1\n", "+79005556677")]
    // An RFC 4244 sender: no tags, the number changed.
    [InlineData("History-Info: <sip:+79005556677@carrier.example>;index=1\n"
        + "History-Info: <sip:+74950000001@backcall.example>;index=1.1\n", "+79005556677")]
    // A hop, then the diversion: mp names index 1.1, which is the forwarding number after its own contact lookup.
    [InlineData("History-Info: <sip:+79001111111@a.example>;index=1, <sip:+79005556677@b.example>;index=1.1;mp=1,"
        + " <sip:+79005556677@10.0.0.7>;index=1.1.1;rc=1.1,"
        + " <sip:+74950000001@backcall.example>;index=1.1.2;mp=1.1\n", "+79005556677")]
    public void History_info_showing_a_retargeting_to_another_user_redirects(string header, string number) =>
        Assert.Equal(new SipRedirection(number, SipRedirectionHeader.HistoryInfo), Extract(header));

    [Theory]
    // One entry records only the target the caller dialled.
    [InlineData("History-Info: <sip:+74950000001@carrier.example>;index=1\n")]
    // A registrar lookup: the Request-URI changed, the user did not.
    [InlineData("History-Info: <sip:+74950000001@carrier.example>;index=1,"
        + " <sip:+74950000001@192.0.2.50:5060>;index=1.1;rc=1\n")]
    // A proxy hop that did not change the target.
    [InlineData("History-Info: <sip:+74950000001@carrier.example>;index=1,"
        + " <sip:+74950000001@carrier.example>;index=1.1;np=1\n")]
    // An RFC 4244 sender's hop with the same number.
    [InlineData("History-Info: <sip:+74950000001@carrier.example>;index=1, <sip:+74950000001@192.0.2.50>;index=1.1\n")]
    // Nothing that parses.
    [InlineData("History-Info: not a name-addr at all <\n")]
    public void History_info_of_proxy_hops_and_lookups_does_not_redirect(string header) => Assert.Null(Extract(header));

    [Fact]
    public void An_anonymised_history_entry_redirects_without_a_number()
    {
        var redirection = Extract("History-Info: <sip:anonymous@anonymous.invalid>;index=1,"
            + " <sip:+74950000001@backcall.example;cause=302>;index=1.1;mp=1\n");
        Assert.Equal(new SipRedirection(null, SipRedirectionHeader.HistoryInfo), redirection);
    }

    [Fact]
    public async Task The_handler_receives_the_redirection()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite(extra: "Diversion: <sip:+79005556677@carrier.example>;reason=unconditional\n"));
        var call = Assert.Single(stack.Handler.Calls);
        Assert.Equal(new SipRedirection("+79005556677", SipRedirectionHeader.Diversion), call.Redirection);
    }
}
