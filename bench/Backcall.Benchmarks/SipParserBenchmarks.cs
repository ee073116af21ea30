using System.Text;
using Backcall.Sip.Parsing;
using BenchmarkDotNet.Attributes;

namespace Backcall.Benchmarks;

/// <summary>Parsing one INVITE as a carrier trunk sends it (what every call costs before matching).</summary>
[MemoryDiagnoser]
public class SipParserBenchmarks
{
    private static readonly byte[] Invite = Encoding.ASCII.GetBytes(
        "INVITE sip:+79640000001@198.51.100.7:5060 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 69\r\n" +
        "From: \"Ivan\" <sip:+79001234567@192.0.2.10>;tag=1928301774\r\n" +
        "To: <sip:+79640000001@198.51.100.7>\r\n" +
        "Call-ID: a84b4c76e66710@192.0.2.10\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:+79001234567@192.0.2.10:5060>\r\n" +
        "P-Asserted-Identity: <sip:+79001234567@192.0.2.10;user=phone>\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 129\r\n" +
        "\r\n" +
        "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n" +
        "m=audio 40000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");

    [Benchmark]
    public bool ParseInvite() => SipMessageParser.Parse(Invite).IsValid;
}
