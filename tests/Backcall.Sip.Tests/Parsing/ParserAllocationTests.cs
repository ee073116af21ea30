using Backcall.Sip.Parsing;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.Parsing;

/// <summary>
/// What parsing one INVITE allocates: every call a trunk sends pays it, and the garbage of thousands of calls
/// a second sets how often the server pauses for the GC. Bytes allocated on one thread are exact, not timed.
/// </summary>
public class ParserAllocationTests
{
    // A trunk's INVITE as the benchmarks send it: SDP body, a display name, P-Asserted-Identity.
    private static readonly byte[] Invite = SipText.Bytes("""
        INVITE sip:+79640000001@198.51.100.7:5060 SIP/2.0
        Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport
        Max-Forwards: 69
        From: "Ivan" <sip:+79001234567@192.0.2.10>;tag=1928301774
        To: <sip:+79640000001@198.51.100.7>
        Call-ID: a84b4c76e66710@192.0.2.10
        CSeq: 314159 INVITE
        Contact: <sip:+79001234567@192.0.2.10:5060>
        P-Asserted-Identity: <sip:+79001234567@192.0.2.10;user=phone>
        Allow: INVITE, ACK, CANCEL, BYE, OPTIONS
        Content-Type: application/sdp
        Content-Length: 129

        v=0
        o=- 1 1 IN IP4 192.0.2.10
        s=-
        c=IN IP4 192.0.2.10
        t=0 0
        m=audio 40000 RTP/AVP 8 0 101
        a=rtpmap:101 telephone-event/8000

        """);

    [Fact]
    public void A_trunk_invite_is_parsed_in_a_bounded_number_of_bytes()
    {
        Assert.True(SipMessageParser.Parse(Invite).IsValid); // first use: static tables are built here

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = SipMessageParser.Parse(Invite);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(result.IsValid);
        Assert.True(allocated <= 5_000, $"parsing the INVITE allocated {allocated} bytes");
    }
}
