using System.Net;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.Transactions;

public class MalformedAndAclTests
{
    [Theory]
    [InlineData("badinv01", 400)]
    [InlineData("clerr", 400)]
    [InlineData("ncl", 400)]
    [InlineData("scalar02", 400)]
    [InlineData("quotbal", 400)]
    [InlineData("ltgtruri", 400)]
    [InlineData("lwsruri", 400)]
    [InlineData("lwsstart", 400)]
    [InlineData("trws", 400)]
    [InlineData("escruri", 400)]
    [InlineData("baddate", 400)]
    [InlineData("regbadct", 400)]
    [InlineData("badaspec", 400)]
    [InlineData("baddn", 400)]
    [InlineData("badvers", 505)]
    [InlineData("mismatch01", 400)]
    [InlineData("mismatch02", 400)]
    [InlineData("insuf", 400)]
    [InlineData("multi01", 400)]
    [InlineData("mcl01", 400)]
    public async Task Invalid_requests_get_the_status_RFC_4475_asks_for(string name, int status)
    {
        await using var stack = new StackHarness();
        stack.Receive(TortureFixture.Load("Invalid", name));
        Assert.Equal(status, Assert.Single(stack.Udp.All).Status);
        Assert.Empty(stack.Handler.Calls);
        Assert.Equal(1, stack.Server.Counters.ParseErrors);
    }

    [Theory]
    [InlineData("scalarlg")]
    [InlineData("bigcode")]
    public async Task Invalid_responses_are_dropped(string name)
    {
        await using var stack = new StackHarness();
        stack.Receive(TortureFixture.Load("Invalid", name));
        Assert.Empty(stack.Udp.All);
        Assert.Equal(1, stack.Server.Counters.ParseErrors);
    }

    [Fact]
    public async Task Unroutable_garbage_is_dropped_and_counted()
    {
        await using var stack = new StackHarness();
        stack.Receive("hello world\n\n");
        stack.Receive("INVITE sip:x@y SIP/2.0\nCSeq: 1 INVITE\n\n"); // no Via: nowhere to answer
        stack.Receive("ACK sip:x@y SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1\nCSeq: x\n\n"); // never answer an ACK
        Assert.Empty(stack.Udp.All);
        Assert.Equal(3, stack.Server.Counters.ParseErrors);
    }

    [Fact]
    public async Task Untrusted_source_gets_no_answer_by_default_and_is_counted()
    {
        await using var stack = new StackHarness();
        stack.Remote = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5060);
        stack.Receive(SipText.Invite());
        Assert.Empty(stack.Udp.All);
        Assert.Empty(stack.Handler.Calls);
        Assert.Equal(1, stack.Server.Counters.UntrustedDropped);
    }

    [Fact]
    public async Task Untrusted_source_gets_403_when_configured()
    {
        await using var stack = new StackHarness(configure: o => o.UntrustedPolicy = SipUntrustedPolicy.Forbidden);
        stack.Remote = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5060);
        stack.Receive(SipText.Invite(via: "SIP/2.0/UDP 203.0.113.9:5060"));
        Assert.Equal(403, Assert.Single(stack.Udp.All).Status);
        Assert.Empty(stack.Handler.Calls);
        Assert.Equal(1, stack.Server.Counters.UntrustedDropped);
    }

    [Fact]
    public async Task Configured_trunks_replace_the_local_default_and_match_cidrs()
    {
        await using var stack = new StackHarness(configure: o => o.Trunks =
        [
            new TrunkOptions
            {
                Name = "carrier",
                Sources = ["198.51.100.0/24", "2001:db8::/32"],
                Region = "de",
                TrustPai = false,
            },
            new TrunkOptions { Name = "pbx", Sources = ["198.51.100.7"], CalledFrom = CalledNumberSource.To },
        ]);
        stack.Remote = new IPEndPoint(IPAddress.Parse("198.51.100.20"), 5060);
        stack.Receive(SipText.Invite(branch: "z9hG4bK-c1"));
        stack.Remote = new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.7"), 5060); // dual-mode socket form
        stack.Receive(SipText.Invite(branch: "z9hG4bK-c2"));
        stack.Remote = new IPEndPoint(IPAddress.Parse("2001:db8::5"), 5060);
        stack.Receive(SipText.Invite(branch: "z9hG4bK-c3"));
        stack.Remote = new IPEndPoint(IPAddress.Loopback, 5060); // no longer trusted
        stack.Receive(SipText.Invite(branch: "z9hG4bK-c4"));

        Assert.Equal(["carrier", "pbx", "carrier"], stack.Handler.Calls.Select(c => c.Trunk.Name));
        Assert.Equal("DE", stack.Handler.Calls[0].Trunk.Region);
        Assert.Equal(1, stack.Server.Counters.UntrustedDropped);
    }

    [Fact]
    public async Task Oversize_datagrams_are_dropped()
    {
        await using var stack = new StackHarness(configure: o => o.MaxMessageSize = 1024);
        stack.Receive(SipText.Invite(extra: $"X-Padding: {new string('a', 2000)}\n"));
        Assert.Empty(stack.Udp.All);
        Assert.Equal(1, stack.Server.Counters.ParseErrors);
    }
}
