using System.Net;
using Backcall.Sip.Message;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.Transactions;

public class MethodDispatchTests
{
    private static string Request(
        string method,
        string branch = "z9hG4bK-m",
        string ruri = "sip:backcall@127.0.0.1",
        string via = "SIP/2.0/UDP 127.0.0.1:5070") => $"""
        {method} {ruri} SIP/2.0
        Via: {via};branch={branch}
        Max-Forwards: 70
        From: <sip:pinger@127.0.0.1>;tag=p1
        To: <sip:backcall@127.0.0.1>
        Call-ID: {method}-1@test
        CSeq: 5 {method}
        Content-Length: 0


        """;

    [Fact]
    public async Task Options_gets_200_with_allow()
    {
        await using var stack = new StackHarness();
        stack.Receive(Request("OPTIONS"));
        var response = Assert.Single(stack.Udp.Responses);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("INVITE, ACK, CANCEL, OPTIONS, BYE", response.GetHeader(SipHeaderNames.Allow));
        Assert.NotNull(response.To!.Tag);
        Assert.Equal("OPTIONS-1@test", response.CallId);
        Assert.Equal(new SipCSeq(5, "OPTIONS"), response.CSeq);
    }

    [Fact]
    public async Task Options_200_carries_accept_and_supported()
    {
        // RFC 3261 §11.2: Allow, Accept, Accept-Encoding, Accept-Language and Supported SHOULD be present.
        await using var stack = new StackHarness();
        stack.Receive(Request("OPTIONS"));
        var response = Assert.Single(stack.Udp.Responses);
        Assert.Equal("application/sdp", response.GetHeader(SipHeaderNames.Accept));
        Assert.Equal("", response.GetHeader(SipHeaderNames.Supported)); // no extension: the empty list says so
    }

    [Fact]
    public async Task Prack_gets_481_as_no_reliable_provisional_was_sent()
    {
        // RFC 3262 §3: a PRACK matching no unacknowledged reliable provisional response gets 481.
        await using var stack = new StackHarness();
        stack.Receive(Request("PRACK"));
        Assert.Equal(481, Assert.Single(stack.Udp.All).Status);
    }

    [Fact]
    public async Task Bye_outside_a_dialog_gets_481()
    {
        await using var stack = new StackHarness();
        stack.Receive(Request("BYE"));
        Assert.Equal(481, Assert.Single(stack.Udp.All).Status);
    }

    [Theory]
    [InlineData("REGISTER")]
    [InlineData("INFO")]
    [InlineData("UPDATE")]
    [InlineData("SUBSCRIBE")]
    [InlineData("NOTIFY")]
    [InlineData("REFER")]
    [InlineData("MESSAGE")]
    [InlineData("PUBLISH")]
    public async Task Known_methods_we_do_not_serve_get_405_with_allow(string method)
    {
        await using var stack = new StackHarness();
        stack.Receive(Request(method));
        var response = Assert.Single(stack.Udp.Responses);
        Assert.Equal(405, response.StatusCode);
        Assert.Equal("INVITE, ACK, CANCEL, OPTIONS, BYE", response.GetHeader(SipHeaderNames.Allow));
    }

    [Fact]
    public async Task Unknown_methods_get_501()
    {
        await using var stack = new StackHarness();
        stack.Receive(Request("FROBNICATE"));
        Assert.Equal(501, Assert.Single(stack.Udp.All).Status);
    }

    [Fact]
    public async Task Non_invite_retransmission_gets_the_same_response_until_timer_J()
    {
        await using var stack = new StackHarness();
        stack.Receive(Request("OPTIONS"));
        stack.Receive(Request("OPTIONS"));
        Assert.Equal(stack.Udp.All[0].Bytes, stack.Udp.All[1].Bytes);
        Assert.Equal(1, stack.Server.Counters.Retransmissions);
        stack.Advance(TimeSpan.FromSeconds(32.1));
        Assert.Equal(0, stack.Server.ActiveTransactions);
    }

    [Fact]
    public async Task Unknown_request_uri_scheme_gets_416()
    {
        await using var stack = new StackHarness();
        stack.Receive(TortureFixture.Load("Valid", "unkscm"));
        Assert.Equal(416, Assert.Single(stack.Udp.All).Status);
    }

    [Fact]
    public async Task Rport_is_filled_and_the_response_goes_to_the_source_port()
    {
        await using var stack = new StackHarness();
        stack.Remote = new IPEndPoint(IPAddress.Loopback, 40000);
        stack.Receive(Request("OPTIONS", via: "SIP/2.0/UDP 10.9.9.9:5070;rport"));
        var sent = Assert.Single(stack.Udp.All);
        Assert.Equal(stack.Remote, sent.Remote);
        var via = SipText.ParseResponse(sent.Bytes).TopVia!;
        Assert.Equal("40000", via.Parameters.Get("rport"));
        Assert.Equal("127.0.0.1", via.Parameters.Get("received"));
    }

    [Fact]
    public async Task Without_rport_the_response_goes_to_the_via_port_with_received_added()
    {
        await using var stack = new StackHarness();
        stack.Remote = new IPEndPoint(IPAddress.Loopback, 40000);
        stack.Receive(Request("OPTIONS", via: "SIP/2.0/UDP trunk.example:5080"));
        var sent = Assert.Single(stack.Udp.All);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5080), sent.Remote);
        Assert.Equal("127.0.0.1", SipText.ParseResponse(sent.Bytes).TopVia!.Parameters.Get("received"));
    }

    [Fact]
    public async Task Via_host_equal_to_source_is_echoed_unchanged()
    {
        await using var stack = new StackHarness();
        stack.Receive(Request("OPTIONS"));
        Assert.False(stack.Udp.Responses[0].TopVia!.Parameters.Contains("received"));
    }

    [Fact]
    public async Task To_tag_is_deterministic_per_request_and_differs_across_requests()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite(branch: "z9hG4bK-a"));
        stack.Receive(SipText.Invite(branch: "z9hG4bK-a"));
        stack.Receive(SipText.Invite(branch: "z9hG4bK-b"));
        var tags = stack.Udp.Responses.Select(r => r.To!.Tag).ToArray();
        Assert.Equal(tags[0], tags[1]);
        Assert.NotEqual(tags[0], tags[2]);
        Assert.Equal(16, tags[0]!.Length);
    }
}
