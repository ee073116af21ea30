using Backcall.Sip.Message;
using Backcall.Sip.Parsing;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.Parsing;

/// <summary>RFC 3261 §7.3 / §20 header forms: compact names, folding, lists, name-addr and addr-spec.</summary>
public class HeaderFormTests
{
    [Fact]
    public void Compact_and_case_insensitive_names_are_canonicalised()
    {
        var request = SipText.ParseRequest("""
            OPTIONS sip:x@example.com SIP/2.0
            v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa
            f: <sip:a@example.com>;tag=1
            t: sip:x@example.com
            i: compact@example.com
            cseq: 1 OPTIONS
            MAX-FORWARDS: 10
            k: timer
            s: hello
            m: <sip:a@192.0.2.1>
            l: 0


            """);
        Assert.Equal("compact@example.com", request.CallId);
        Assert.Equal("1", request.From!.Tag);
        Assert.Equal("timer", request.GetHeader(SipHeaderNames.Supported));
        Assert.Equal("hello", request.GetHeader(SipHeaderNames.Subject));
        Assert.Equal("<sip:a@192.0.2.1>", request.GetHeader(SipHeaderNames.Contact));
        Assert.Equal(10, request.MaxForwards);
        Assert.Equal(0, request.ContentLength);
    }

    [Theory]
    [InlineData("Anonymous <sip:c8oqz84zk7z@privacy.org>;tag=hyh8", "Anonymous", "c8oqz84zk7z", "hyh8")]
    [InlineData("\"A. G. Bell\" <sip:agb@bell-telephone.com> ;tag=a48s", "A. G. Bell", "agb", "a48s")]
    [InlineData("sip:+12125551212@server.phone2net.com;tag=887s", null, "+12125551212", "887s")]
    [InlineData("<sip:+12125551212@phone2net.com;user=phone>", null, "+12125551212", null)]
    [InlineData("\"Call\\\\er \\\"X\\\"\" <sips:caller@example.com>", "Call\\er \"X\"", "caller", null)]
    [InlineData("<tel:+7-495-123-45-67;phone-context=+7>;tag=9", null, "+7-495-123-45-67", "9")]
    public void Name_addr_and_addr_spec(string value, string? display, string user, string? tag)
    {
        Assert.True(NameAddressParser.TryParse(value, false, out var address, out var error), error);
        Assert.Equal(display, address.DisplayName);
        Assert.Equal(user, address.Uri!.User);
        Assert.Equal(tag, address.Tag);
    }

    [Fact]
    public void Addr_spec_params_belong_to_the_header_not_the_uri()
    {
        Assert.True(NameAddressParser.TryParse("sip:a@b.example;user=phone;tag=3", false, out var address, out _));
        Assert.Equal(0, address.Uri!.Parameters.Count);
        Assert.Equal("phone", address.Parameters.Get("user"));
        Assert.True(NameAddressParser.TryParse("<sip:a@b.example;user=phone>;tag=3", false, out address, out _));
        Assert.Equal("phone", address.Uri!.Parameters.Get("user"));
    }

    [Theory]
    [InlineData("sip:alice@atlanta.com", "sip", "alice", "atlanta.com", null)]
    [InlineData("sip:alice:secretword@atlanta.com;transport=tcp", "sip", "alice", "atlanta.com", null)]
    [InlineData("sips:alice@atlanta.com?subject=project%20x&priority=urgent", "sips", "alice", "atlanta.com", null)]
    [InlineData("sip:+1-212-555-1212:1234@gateway.com;user=phone", "sip", "+1-212-555-1212", "gateway.com", null)]
    [InlineData("sips:1212@gateway.com", "sips", "1212", "gateway.com", null)]
    [InlineData("sip:alice@192.0.2.4", "sip", "alice", "192.0.2.4", null)]
    [InlineData("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", "sip", null, "atlanta.com", null)]
    [InlineData("sip:alice;day=tuesday@atlanta.com", "sip", "alice;day=tuesday", "atlanta.com", null)]
    [InlineData("sip:[2001:db8::10]:5070", "sip", null, "[2001:db8::10]", 5070)]
    [InlineData("SIP:Bob@Biloxi.Example.com:5061", "sip", "Bob", "Biloxi.Example.com", 5061)]
    public void Rfc3261_19_1_3_uri_examples(string text, string scheme, string? user, string host, int? port)
    {
        Assert.True(SipUriParser.TryParse(text, out var uri, out var error), error);
        Assert.Equal((scheme, user, host, port), (uri.Scheme, uri.User, uri.Host, uri.Port));
    }

    [Theory]
    [InlineData("sip:a b@example.com")]
    [InlineData("sip:alice@")]
    [InlineData("sip:alice@host:99999")]
    [InlineData("sip:al\"ice@host")]
    [InlineData("sip:alice@[::1")]
    [InlineData("sip:%4@example.com")]
    [InlineData("tel:")]
    [InlineData(":nothing")]
    public void Malformed_uris_are_refused(string text) => Assert.False(SipUriParser.TryParse(text, out _, out _));

    [Fact]
    public void Via_with_rport_ipv6_and_folding()
    {
        var request = SipText.ParseRequest("""
            OPTIONS sip:x@example.com SIP/2.0
            Via: SIP/2.0/UDP [2001:db8::9]:5062;rport;branch=z9hG4bKv6,
             SIP/2.0/TCP proxy.example.com;received=192.0.2.7
            Via: SIP/2.0/UDP 192.0.2.1 : 5080 ;branch=z9hG4bKlast
            From: <sip:a@example.com>;tag=1
            To: <sip:x@example.com>
            Call-ID: v6@example.com
            CSeq: 7 OPTIONS
            Content-Length: 0


            """);
        Assert.Equal(3, request.Vias.Count);
        var top = request.Vias[0];
        Assert.Equal(("[2001:db8::9]", 5062, true, "z9hG4bKv6"), (top.Host, top.Port, top.HasRport, top.Branch));
        Assert.Equal("192.0.2.7", request.Vias[1].Parameters.Get("received"));
        Assert.Equal((5080, "z9hG4bKlast"), (request.Vias[2].Port, request.Vias[2].Branch));
        Assert.Equal("[2001:db8::9]:5062", top.SentBy);
    }

    [Fact]
    public void Comma_lists_ignore_commas_in_quotes_and_brackets()
    {
        var items = new List<string>();
        HeaderValueSplitter.Split("\"Doe, John\" <sip:j@x;a=1,2>;q=1, <sip:k@y> , sip:z@w", items);
        Assert.Equal(["\"Doe, John\" <sip:j@x;a=1,2>;q=1", "<sip:k@y>", "sip:z@w"], items);
    }

    [Fact]
    public void Contact_star_and_multiple_contacts()
    {
        Assert.True(NameAddressParser.TryParse("*", true, out var star, out _));
        Assert.True(star.IsWildcard);
        Assert.False(NameAddressParser.TryParse("*", false, out _, out _));
    }

    [Fact]
    public void Messages_larger_than_the_limit_are_refused_before_parsing()
    {
        var bytes = SipText.Bytes(SipText.Invite());
        Assert.Equal(SipParseError.TooLarge, SipMessageParser.Parse(bytes, bytes.Length - 1).Error);
        Assert.True(SipMessageParser.Parse(bytes, bytes.Length).IsValid);
    }

    [Fact]
    public void Leading_crlf_and_bare_lf_are_tolerated()
    {
        var bytes = "\r\n\r\n"u8.ToArray().Concat(SipText.Bytes(SipText.Invite()).Where(b => b != '\r')).ToArray();
        Assert.True(SipMessageParser.Parse(bytes).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("garbage")]
    [InlineData("INVITE sip:x@y SIP/2.0\r\n: no name\r\n\r\n")]
    [InlineData("INVITE sip:x@y SIP/2.0\r\n continuation first\r\n\r\n")]
    [InlineData("SIP/2.0 99 Too small\r\n\r\n")]
    public void Junk_never_throws(string text)
    {
        var result = SipMessageParser.Parse(System.Text.Encoding.Latin1.GetBytes(text));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(4475);
        var valid = SipText.Bytes(SipText.Invite());
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])valid.Clone();
            for (var j = 0; j < 1 + (i % 8); j++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            _ = SipMessageParser.Parse(mutated.AsSpan(0, random.Next(mutated.Length + 1)));
        }
    }
}
