using Backcall.Sip.Tests.Support;
using Backcall.Sip.Transactions;

namespace Backcall.Sip.Tests.Transactions;

/// <summary>
/// The shortcut that hands ACKs and retransmitted INVITEs to their transaction before the full parse must
/// find exactly the key the full parse gives, or none (then the message takes the full path).
/// </summary>
public class TransactionShortcutTests
{
    [Theory]
    [InlineData("SIP/2.0/UDP 127.0.0.1:5070", "z9hG4bK-1")]
    [InlineData("SIP/2.0/UDP 127.0.0.1", "z9hG4bK776asdhds")]
    [InlineData("SIP/2.0/UDP Trunk.Example.COM:5080", "z9hG4bKa.b-c_d")]
    [InlineData("SIP/2.0/TCP [2001:DB8::1]:5061", "z9hG4bK-v6")]
    [InlineData("SIP/2.0/UDP [2001:db8::1]", "z9hG4bK-v6")]
    [InlineData("SIP/2.0/UDP  127.0.0.1:5070;rport", "z9hG4bK-2")]
    public void The_key_is_the_full_parse_key(string via, string branch)
    {
        var text = SipText.Invite(branch: branch, via: via);
        var expected = TransactionKey.For(SipText.ParseRequest(text), "INVITE");

        Span<char> key = stackalloc char[512];
        Assert.True(TransactionShortcut.TryWriteInviteKey(SipText.Bytes(text), key, out var length));
        Assert.Equal(expected, key[..length].ToString());
    }

    [Fact]
    public void The_compact_form_and_the_ack_give_the_invite_key()
    {
        var invite = SipText.Invite(branch: "z9hG4bK-7");
        var expected = TransactionKey.For(SipText.ParseRequest(invite), "INVITE");
        var compactAck = SipText.Invite(branch: "z9hG4bK-7", method: "ACK")
            .Replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
            .Replace("Via:", "v :");

        Span<char> key = stackalloc char[512];
        Assert.True(TransactionShortcut.TryWriteInviteKey(SipText.Bytes(compactAck), key, out var length));
        Assert.Equal(expected, key[..length].ToString());
    }

    [Theory]
    [InlineData("SIP/2.0/UDP 127.0.0.1:5070", "1234")] // RFC 2543 branch: the key has more in it
    [InlineData("SIP/2.0/UDP 127.0.0.1:05070", "z9hG4bK-1")] // the parser's port prints without the zero
    [InlineData("SIP/2.0/UDP 127.0.0.1:5070 ", "z9hG4bK-1")] // white space before the parameters
    [InlineData("SIP / 2.0 / UDP 127.0.0.1:5070", "z9hG4bK-1")]
    public void Anything_unusual_takes_the_full_path(string via, string branch)
    {
        Span<char> key = stackalloc char[512];
        Assert.False(
            TransactionShortcut.TryWriteInviteKey(SipText.Bytes(SipText.Invite(branch: branch, via: via)), key, out _));
    }

    [Fact]
    public void A_folded_via_takes_the_full_path()
    {
        var folded = SipText.Invite().Replace(
            "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1", "Via: SIP/2.0/UDP 127.0.0.1:5070\n ;branch=z9hG4bK-1");
        Span<char> key = stackalloc char[512];
        Assert.False(TransactionShortcut.TryWriteInviteKey(SipText.Bytes(folded), key, out _));
    }
}
