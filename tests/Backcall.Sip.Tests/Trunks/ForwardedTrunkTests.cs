using System.Net;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.Trunks;

/// <summary>
/// A proxy trunk (Kamailio at 127.0.0.1, which itself would be trusted for PAI) names the original source in
/// X-Backcall-Source; the trunk of that source decides. Behind it: a carrier trusted for PAI
/// (198.51.100.0/24, RU) and a PBX that is not (192.0.2.10, DE, called number in To).
/// </summary>
public class ForwardedTrunkTests
{
    private const string Header = "X-Backcall-Source";
    private const string Pai = "P-Asserted-Identity: <sip:+79990000000@carrier.example;user=phone>\n";
    private static readonly IPEndPoint Proxy = new(IPAddress.Loopback, 5060);

    private static StackHarness NewStack(SipUntrustedPolicy policy = SipUntrustedPolicy.Drop) => new(configure: o =>
    {
        o.UntrustedPolicy = policy;
        o.Trunks =
        [
            new TrunkOptions
            {
                Name = "kamailio",
                Sources = ["127.0.0.1"],
                TrustPai = true,
                ForwardedSourceHeader = Header,
            },
            new TrunkOptions { Name = "carrier", Sources = ["198.51.100.0/24", "2001:db8::/32"], TrustPai = true },
            new TrunkOptions
            {
                Name = "pbx",
                Sources = ["192.0.2.10"],
                TrustPai = false,
                Region = "DE",
                CalledFrom = CalledNumberSource.To,
            },
        ];
    })
    { Remote = Proxy };

    private static string Invite(string? source, string extra = Pai, string branch = "z9hG4bK-fw") =>
        SipText.Invite(
            branch: branch,
            callId: branch + "@test",
            extra: (source is null ? "" : $"{Header}: {source}\n") + extra,
            to: "<sip:+74950000009@backcall.example>");

    [Fact]
    public async Task Pai_is_believed_when_the_proxy_reports_a_carrier_trusted_for_it()
    {
        await using var stack = NewStack();
        stack.Receive(Invite("198.51.100.7:5060;transport=udp"));

        var call = Assert.Single(stack.Handler.Calls);
        Assert.Equal(("+79990000000", SipCallerIdSource.PAssertedIdentity), (call.CallerNumber, call.CallerIdSource));
        Assert.Equal("carrier", call.Trunk.Name);
        Assert.Equal("kamailio", call.Proxy?.Name);
        Assert.Equal(IPEndPoint.Parse("198.51.100.7:5060"), call.OriginalSource);
        Assert.Equal("udp", call.OriginalTransport);
        Assert.Equal(Proxy, call.RemoteEndPoint);
        Assert.Equal(486, Assert.Single(stack.Udp.All).Status);
    }

    [Fact]
    public async Task Pai_is_ignored_when_the_proxy_reports_a_trunk_not_trusted_for_it_whose_rules_then_apply()
    {
        await using var stack = NewStack();
        stack.Receive(Invite("192.0.2.10:5060;transport=tcp"));

        var call = Assert.Single(stack.Handler.Calls);
        Assert.Equal(("+79991112233", SipCallerIdSource.From), (call.CallerNumber, call.CallerIdSource));
        Assert.Equal(("pbx", "DE"), (call.Trunk.Name, call.Trunk.Region));
        Assert.Equal("+74950000009", call.CalledNumber); // the PBX's CalledFrom = To
    }

    [Fact]
    public async Task An_ipv6_original_source_is_resolved_too()
    {
        await using var stack = NewStack();
        stack.Receive(Invite("[2001:db8::7]:5060;transport=udp"));
        var call = Assert.Single(stack.Handler.Calls);
        Assert.Equal(("carrier", SipCallerIdSource.PAssertedIdentity), (call.Trunk.Name, call.CallerIdSource));
        Assert.Equal(IPEndPoint.Parse("[2001:db8::7]:5060"), call.OriginalSource);
    }

    [Theory]
    [InlineData("203.0.113.9:5060")] // nobody's
    [InlineData("127.0.0.1:5060")] // the proxy itself: it cannot vouch for its own calls
    public async Task An_original_source_outside_every_other_trunk_is_dropped_by_default_and_counted(string source)
    {
        await using var stack = NewStack();
        stack.Receive(Invite(source));
        stack.Receive(Invite(source)); // the proxy's retransmission: dropped again
        Assert.Empty(stack.Udp.All);
        Assert.Empty(stack.Handler.Calls);
        Assert.Equal(2, stack.Server.Counters.UntrustedDropped);
    }

    [Fact]
    public async Task An_original_source_outside_every_other_trunk_gets_403_when_configured()
    {
        await using var stack = NewStack(SipUntrustedPolicy.Forbidden);
        stack.Receive(Invite("203.0.113.9:5060;transport=udp"));
        Assert.Equal(403, Assert.Single(stack.Udp.All).Status);
        Assert.Empty(stack.Handler.Calls);
        Assert.Equal(1, stack.Server.Counters.UntrustedDropped);
    }

    [Theory]
    [InlineData(null)] // absent
    [InlineData("")]
    [InlineData("carrier.example:5060")]
    [InlineData("198.51.100.7")]
    [InlineData("2001:db8::7:5060")]
    public async Task Without_a_usable_original_source_the_proxy_is_answered_the_default_code_and_nothing_is_believed(
        string? source)
    {
        await using var stack = NewStack();
        stack.Receive(Invite(source));
        Assert.Equal(486, Assert.Single(stack.Udp.All).Status);
        Assert.Empty(stack.Handler.Calls);
        Assert.Equal(0, stack.Server.Counters.UntrustedDropped);
    }

    [Fact]
    public async Task Two_copies_of_the_header_are_not_believed()
    {
        await using var stack = NewStack();
        stack.Receive(Invite("198.51.100.7:5060", extra: $"{Header}: 198.51.100.8:5060\n{Pai}"));
        Assert.Equal(486, Assert.Single(stack.Udp.All).Status);
        Assert.Empty(stack.Handler.Calls);
    }

    [Fact]
    public async Task The_header_from_a_trunk_without_the_option_is_ignored()
    {
        await using var stack = NewStack();

        // The PBX names the carrier: still the PBX, its PAI still not believed.
        stack.Remote = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 5060);
        stack.Receive(Invite("198.51.100.7:5060;transport=udp", branch: "z9hG4bK-pbx"));

        // The carrier names nobody's address: still the carrier, not dropped.
        stack.Remote = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5060);
        stack.Receive(Invite("203.0.113.9:5060", branch: "z9hG4bK-carrier"));

        Assert.Collection(
            stack.Handler.Calls,
            pbx => Assert.Equal(
                ("pbx", SipCallerIdSource.From, (IPEndPoint?)null, (SipTrunk?)null),
                (pbx.Trunk.Name, pbx.CallerIdSource, pbx.OriginalSource, pbx.Proxy)),
            carrier => Assert.Equal(
                ("carrier", SipCallerIdSource.PAssertedIdentity, (IPEndPoint?)null),
                (carrier.Trunk.Name, carrier.CallerIdSource, carrier.OriginalSource)));
        Assert.Equal(0, stack.Server.Counters.UntrustedDropped);
    }

    [Fact]
    public async Task The_proxys_own_options_probes_need_no_header()
    {
        await using var stack = NewStack();
        stack.Receive(SipText.Invite(method: "OPTIONS", cseq: 7));
        Assert.Equal(200, Assert.Single(stack.Udp.All).Status);
    }

    [Fact]
    public void Options_refuse_a_bad_header_name_and_a_proxy_with_nothing_behind_it()
    {
        var options = new SipOptions
        {
            Trunks =
            [
                new TrunkOptions { Name = "kamailio", Sources = ["127.0.0.1"], ForwardedSourceHeader = "X Source:" },
            ],
        };
        var errors = options.Validate();
        Assert.Contains(errors, e => e.Contains("ForwardedSourceHeader 'X Source:'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("every trunk has ForwardedSourceHeader", StringComparison.Ordinal));

        options.Trunks[0].ForwardedSourceHeader = "X-Backcall-Source";
        options.Trunks.Add(new TrunkOptions { Name = "carrier", Sources = ["198.51.100.0/24"] });
        Assert.Empty(options.Validate());
    }
}
