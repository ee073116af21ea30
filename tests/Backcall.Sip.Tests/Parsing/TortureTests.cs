using System.Text;
using Backcall.Sip.Message;
using Backcall.Sip.Parsing;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.Parsing;

/// <summary>RFC 4475 §3.1.1 (valid), §3.1.2 (invalid) and a few §3.3/§3.4 messages, typed in as fixtures.</summary>
public class TortureTests
{
    public static IEnumerable<object[]> ValidNames => TortureFixture.Names("Valid");

    public static IEnumerable<object[]> InvalidNames => TortureFixture.Names("Invalid");

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Valid_messages_parse(string name)
    {
        var result = SipMessageParser.Parse(TortureFixture.Load("Valid", name));
        Assert.True(result.IsValid, $"{name}: {result.Error} {result.Detail}");
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_messages_are_refused(string name)
    {
        var result = SipMessageParser.Parse(TortureFixture.Load("Invalid", name));
        Assert.False(result.IsValid, $"{name} was accepted");
    }

    [Theory]
    [InlineData("badinv01", "MalformedVia")]
    [InlineData("clerr", "TruncatedBody")]
    [InlineData("ncl", "MalformedContentLength")]
    [InlineData("scalar02", "MalformedCSeq")]
    [InlineData("scalarlg", "MalformedCSeq")]
    [InlineData("quotbal", "MalformedAddress")]
    [InlineData("ltgtruri", "MalformedRequestUri")]
    [InlineData("lwsruri", "MalformedStartLine")]
    [InlineData("lwsstart", "MalformedStartLine")]
    [InlineData("trws", "MalformedStartLine")]
    [InlineData("escruri", "MalformedRequestUri")]
    [InlineData("baddate", "MalformedDate")]
    [InlineData("regbadct", "MalformedAddress")]
    [InlineData("badaspec", "MalformedAddress")]
    [InlineData("baddn", "MalformedAddress")]
    [InlineData("badvers", "UnsupportedVersion")]
    [InlineData("mismatch01", "MethodMismatch")]
    [InlineData("mismatch02", "MethodMismatch")]
    [InlineData("bigcode", "MalformedStartLine")]
    [InlineData("insuf", "MissingHeader")]
    [InlineData("multi01", "DuplicateHeader")]
    [InlineData("mcl01", "DuplicateHeader")]
    public void Invalid_messages_fail_for_the_reason_the_RFC_gives(string name, string expected)
    {
        var result = SipMessageParser.Parse(TortureFixture.Load("Invalid", name));
        Assert.Equal(Enum.Parse<SipParseError>(expected), result.Error);
    }

    [Fact]
    public void Wsinv_is_understood_in_detail()
    {
        var request = Assert.IsType<SipRequest>(SipMessageParser.Parse(TortureFixture.Load("Valid", "wsinv")).Message);
        Assert.Equal("INVITE", request.Method);
        Assert.Equal("vivekg", request.RequestUri!.User);
        Assert.True(request.RequestUri.Parameters.Contains("unknownparam"));
        Assert.Equal("1918181833n", request.To!.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal(68, request.MaxForwards);
        Assert.Equal("wsinv.ndaksdj@192.0.2.1", request.CallId);
        Assert.Equal(new SipCSeq(9, "INVITE"), request.CSeq);
        Assert.Equal(150, request.Body.Length);
        Assert.Equal(3, request.Vias.Count);
        Assert.Equal(
            ("UDP", "192.0.2.2", "390skdjuw"),
            (request.Vias[0].Transport, request.Vias[0].Host, request.Vias[0].Branch));
        Assert.Equal(
            ("TCP", "spindle.example.com", "z9hG4bK9ikj8"),
            (request.Vias[1].Transport, request.Vias[1].Host, request.Vias[1].Branch));
        Assert.Equal(
            ("UDP", "192.168.255.111", "z9hG4bK30239"),
            (request.Vias[2].Transport, request.Vias[2].Host, request.Vias[2].Branch));
        Assert.Equal("newfangled value continued newfangled value", request.GetHeader("NewFangledHeader"));
        Assert.Equal(";;,,;;,;", request.GetHeader("UnknownHeaderWithUnusualValue"));
        Assert.Equal("", request.GetHeader(SipHeaderNames.Subject));
        Assert.True(
            NameAddressParser.TryParse(request.GetHeader(SipHeaderNames.Contact)!, true, out var contact, out _));
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("newvalue", contact.Parameters.Get("newparam"));
        Assert.True(contact.Parameters.Contains("secondparam"));
        Assert.Equal("0.33", contact.Parameters.Get("q"));
    }

    [Fact]
    public void Intmeth_keeps_unusual_tokens_and_raw_bytes()
    {
        var request = Assert.IsType<SipRequest>(
            SipMessageParser.Parse(TortureFixture.Load("Valid", "intmeth")).Message);
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.Method);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", request.RequestUri!.User);
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", request.RequestUri.Password);
        Assert.Equal("BEL:\x07 NUL:\0 DEL:\x7f", request.To!.DisplayName);
        Assert.Equal("token1~` token2'+_ token3*%!.-", request.From!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", request.From.Tag);
        Assert.Equal("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", request.CallId);
        Assert.Equal("z9hG4bK-.!%66*_+`'~", request.TopVia!.Branch);
        var ext = request.GetHeader("extensionHeader-!.%*+_`'~")!;
        Assert.Equal("\uFEFF大停電", Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(ext)));
    }

    [Fact]
    public void Escaped_user_parts_are_kept_escaped_for_the_application()
    {
        var esc01 = Assert.IsType<SipRequest>(SipMessageParser.Parse(TortureFixture.Load("Valid", "esc01")).Message);
        Assert.Equal("sips%3Auser%40example.com", esc01.RequestUri!.User);
        Assert.Equal("%75se%72", esc01.To!.Uri!.User);
        Assert.Equal("I%20have%20spaces", esc01.From!.Uri!.User);

        var escnull = Assert.IsType<SipRequest>(
            SipMessageParser.Parse(TortureFixture.Load("Valid", "escnull")).Message);
        Assert.Equal("null-%00-null", escnull.To!.Uri!.User);
    }

    [Fact]
    public void Long_request_keeps_every_via_in_order()
    {
        var request = Assert.IsType<SipRequest>(
            SipMessageParser.Parse(TortureFixture.Load("Valid", "longreq")).Message);
        Assert.Equal(34, request.Vias.Count);
        Assert.Equal("sip33.example.com", request.Vias[0].Host);
        Assert.Equal("host.example.com", request.Vias[^1].Host);
        Assert.Equal(6000, request.To!.Uri!.Port);
        Assert.Equal(150, request.Body.Length);
    }

    [Fact]
    public void Double_request_datagram_yields_the_first_request_only()
    {
        var request = Assert.IsType<SipRequest>(SipMessageParser.Parse(TortureFixture.Load("Valid", "dblreq")).Message);
        Assert.Equal("REGISTER", request.Method);
        Assert.Equal(0, request.Body.Length);
    }

    [Fact]
    public void Semicolon_in_user_part_stays_in_the_user_part()
    {
        var request = Assert.IsType<SipRequest>(
            SipMessageParser.Parse(TortureFixture.Load("Valid", "semiuri")).Message);
        Assert.Equal("user;par=u%40example.net", request.RequestUri!.User);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Equal(0, request.RequestUri.Parameters.Count);
    }

    [Fact]
    public void Responses_with_odd_reason_phrases_parse()
    {
        var unreason = Assert.IsType<SipResponse>(
            SipMessageParser.Parse(TortureFixture.Load("Valid", "unreason")).Message);
        Assert.Equal(200, unreason.StatusCode);
        Assert.Equal(154, unreason.Body.Length);
        var noreason = Assert.IsType<SipResponse>(
            SipMessageParser.Parse(TortureFixture.Load("Valid", "noreason")).Message);
        Assert.Equal(100, noreason.StatusCode);
        Assert.Equal("", noreason.ReasonPhrase);
    }

    [Fact]
    public void Multipart_binary_body_is_delimited_by_content_length()
    {
        var message = SipMessageParser.Parse(TortureFixture.Load("Valid", "mpart01")).Message!;
        Assert.Equal(553, message.Body.Length);
        Assert.True(message.TopVia!.HasRport);
    }

    [Fact]
    public void Transports_lists_all_five_vias()
    {
        var message = SipMessageParser.Parse(TortureFixture.Load("Valid", "transports")).Message!;
        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], message.Vias.Select(v => v.Transport));
    }

    [Fact]
    public void Broken_via_parameters_still_leave_a_routable_top_via()
    {
        var result = SipMessageParser.Parse(TortureFixture.Load("Invalid", "badinv01"));
        Assert.Equal("192.0.2.15", result.Message!.TopVia!.Host);
    }
}
