using System.Net;
using Backcall.Sip.CallerId;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.CallerId;

public class CallPartyExtractorTests
{
    private static readonly SipTrunk Trusted = new("t", [IPNetwork.Parse("127.0.0.0/8")], trustPai: true);
    private static readonly SipTrunk Untrusted = new("u", [IPNetwork.Parse("127.0.0.0/8")], trustPai: false);

    private static CallParties Extract(
        string from = "<sip:+79991112233@trunk.example>;tag=1",
        string extra = "",
        SipTrunk? trunk = null,
        string ruri = "sip:+7-495-000-00-01@backcall.example",
        string to = "<sip:84950000002@backcall.example>") =>
        CallPartyExtractor.Extract(
            SipText.ParseRequest(SipText.Invite(from: from, extra: extra, ruri: ruri, to: to)), trunk ?? Trusted);

    [Fact]
    public void Pai_wins_from_a_trusted_trunk()
    {
        var parties = Extract(extra: "P-Asserted-Identity: <sip:+79990000000@carrier.example;user=phone>\n");
        Assert.Equal(("+79990000000", SipCallerIdSource.PAssertedIdentity), (parties.Caller, parties.CallerSource));
    }

    [Fact]
    public void Pai_is_ignored_from_an_untrusted_trunk()
    {
        var parties = Extract(extra: "P-Asserted-Identity: <sip:+79990000000@carrier.example>\n", trunk: Untrusted);
        Assert.Equal(("+79991112233", SipCallerIdSource.From), (parties.Caller, parties.CallerSource));
    }

    [Fact]
    public void Tel_pai_is_preferred_over_sip_pai()
    {
        var parties = Extract(
            extra: "P-Asserted-Identity: \"Alice\" <sip:alice@carrier.example>, <tel:+7-999-000-11-22>\n");
        Assert.Equal("+79990001122", parties.Caller);
        parties = Extract(extra: "P-Asserted-Identity: <sip:+111@carrier.example>\nP-Asserted-Identity: <tel:+222>\n");
        Assert.Equal("+222", parties.Caller);
    }

    [Fact]
    public void Remote_party_id_is_used_before_from()
    {
        var parties = Extract(
            extra: "Remote-Party-ID: \"Bob\" <sip:8(912)345-67-89@gw.example>;party=calling;screen=yes;privacy=off\n");
        Assert.Equal(("89123456789", SipCallerIdSource.RemotePartyId), (parties.Caller, parties.CallerSource));
    }

    [Fact]
    public void Remote_party_id_is_ignored_from_a_trunk_not_trusted_to_assert_identity()
    {
        var parties = Extract(
            extra: "Remote-Party-ID: <sip:+79990000000@gw.example>;party=calling;screen=yes\n", trunk: Untrusted);
        Assert.Equal(("+79991112233", SipCallerIdSource.From), (parties.Caller, parties.CallerSource));
        parties = Extract(extra: "Remote-Party-ID: <sip:+79990000000@gw.example>;privacy=full\n", trunk: Untrusted);
        Assert.Equal(("+79991112233", SipCallerIdSource.From), (parties.Caller, parties.CallerSource));
    }

    [Fact]
    public void A_configured_trunk_is_not_trusted_to_assert_identity_unless_it_says_so_but_the_local_one_is()
    {
        Assert.False(SipTrunk.FromOptions(new TrunkOptions { Name = "carrier", Sources = ["192.0.2.1"] }).TrustPai);
        Assert.True(SipTrunk.Local.TrustPai);
        var viaLocal = Extract(
            extra: "Remote-Party-ID: <sip:+79990000000@gw.example>;party=calling\n", trunk: SipTrunk.Local);
        Assert.Equal(("+79990000000", SipCallerIdSource.RemotePartyId), (viaLocal.Caller, viaLocal.CallerSource));
    }

    [Fact]
    public void Remote_party_id_with_privacy_hides_the_caller()
    {
        var parties = Extract(extra: "Remote-Party-ID: <sip:+79991112233@gw.example>;privacy=full\n");
        Assert.Equal((null, SipCallerIdSource.None), (parties.Caller, parties.CallerSource));
    }

    [Theory]
    [InlineData("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1")]
    [InlineData("<sip:anonymous@carrier.example>;tag=1")]
    [InlineData("<sip:restricted@carrier.example>;tag=1")]
    [InlineData("<sip:carrier.example>;tag=1")]
    [InlineData("<sips:Unavailable@carrier.example>;tag=1")]
    public void Anonymous_callers_are_null(string from)
    {
        var parties = Extract(from: from);
        Assert.Equal((null, SipCallerIdSource.None), (parties.Caller, parties.CallerSource));
    }

    [Fact]
    public void Privacy_id_keeps_only_an_asserted_identity()
    {
        Assert.Null(Extract(extra: "Privacy: id\n").Caller);
        Assert.Null(Extract(extra: "Privacy: header;id\n", trunk: Untrusted).Caller);
        Assert.Equal("+79990000000", Extract(extra: "Privacy: id\nP-Asserted-Identity: <tel:+79990000000>\n").Caller);
        Assert.Equal("+79991112233", Extract(extra: "Privacy: none\n").Caller);
    }

    [Fact]
    public void Tel_and_user_phone_and_visual_separators()
    {
        Assert.Equal("+74951234567", Extract(from: "<tel:+7(495)123-45.67;phone-context=+7>;tag=1").Caller);
        Assert.Equal(
            "+74951234567", Extract(from: "<sip:%2B7-495-123-45-67;isub=1@gw.example;user=phone>;tag=1").Caller);
        var spaced = "sip:8 495 123 45 67@gw.example;tag=1".Replace(" ", "%20", StringComparison.Ordinal);
        Assert.Equal("84951234567", Extract(from: spaced).Caller);
    }

    [Fact]
    public void Called_number_from_request_uri_or_to()
    {
        Assert.Equal("+74950000001", Extract().Called);
        var toTrunk = new SipTrunk("to", [IPNetwork.Parse("127.0.0.0/8")], calledFrom: CalledNumberSource.To);
        Assert.Equal("84950000002", Extract(trunk: toTrunk).Called);
        Assert.Equal("+74950000001", Extract(ruri: "tel:+7-495-000-00-01").Called);
    }

    [Fact]
    public async Task The_handler_receives_the_parties_and_transport()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite(extra: "P-Asserted-Identity: <tel:+79990000000>\n"));
        var call = Assert.Single(stack.Handler.Calls);
        Assert.Equal(
            ("+79990000000", "+74950000001", "local", SipTransport.Udp, "call-1@test"),
            (call.CallerNumber, call.CalledNumber, call.Trunk.Name, call.Transport, call.CallId));
        Assert.Equal(stack.Remote, call.RemoteEndPoint);
    }
}
