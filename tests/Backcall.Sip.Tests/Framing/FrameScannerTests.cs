using System.Buffers;
using Backcall.Sip.Framing;
using Backcall.Sip.Tests.Support;

namespace Backcall.Sip.Tests.Framing;

public class FrameScannerTests
{
    private static byte[] Message(string body, string lengthHeader = "Content-Length")
    {
        var head = SipText.Bytes("INVITE sip:x@example.com SIP/2.0\nVia: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1\n"
            + $"{lengthHeader}: {body.Length}\n\n");
        return [.. head, .. System.Text.Encoding.ASCII.GetBytes(body)];
    }

    private static List<SipFrame> ReadAll(SipFrameScanner scanner, ref ReadOnlySequence<byte> buffer)
    {
        var frames = new List<SipFrame>();
        while (scanner.TryRead(ref buffer, out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }

    [Fact]
    public void Coalesced_messages_in_one_segment_are_all_cut()
    {
        var one = Message("hello");
        var two = Message("", "l");
        var three = Message("v=0\r\n", "content-LENGTH");
        var buffer = new ReadOnlySequence<byte>([.. one, .. two, .. three]);
        var frames = ReadAll(new SipFrameScanner(65536), ref buffer);
        Assert.Equal(3, frames.Count);
        Assert.Equal(one, frames[0].Payload.ToArray());
        Assert.Equal(two, frames[1].Payload.ToArray());
        Assert.Equal(three, frames[2].Payload.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_message_split_at_every_byte_boundary_is_reassembled()
    {
        var message = Message("split body");
        var scanner = new SipFrameScanner(65536);
        for (var cut = 1; cut < message.Length; cut++)
        {
            var partial = new ReadOnlySequence<byte>(message, 0, cut);
            Assert.False(scanner.TryRead(ref partial, out _));
            Assert.Equal(cut, partial.Length); // nothing consumed while incomplete

            var buffer = Segments.Of(message[..cut], message[cut..]);
            Assert.True(scanner.TryRead(ref buffer, out var frame));
            Assert.Equal(message, frame.Payload.ToArray());
            Assert.True(buffer.IsEmpty);
        }
    }

    [Fact]
    public void Many_tiny_segments_with_a_trailing_partial_message()
    {
        var one = Message("a");
        var two = Message("bb");
        byte[] all = [.. one, .. two];
        var pieces = all.Take(all.Length - 3).Chunk(3).ToArray();
        var buffer = Segments.Of(pieces);
        var frames = ReadAll(new SipFrameScanner(65536), ref buffer);
        Assert.Single(frames);
        Assert.Equal(one, frames[0].Payload.ToArray());
        Assert.Equal(two.Length - 3, buffer.Length);
    }

    [Fact]
    public void Crlf_crlf_is_a_keepalive_ping_and_lone_crlf_a_pong()
    {
        var message = Message("x");
        var buffer = new ReadOnlySequence<byte>([.. "\r\n\r\n"u8, .. "\r\n"u8, .. message, .. "\r\n\r\n"u8]);
        var frames = ReadAll(new SipFrameScanner(65536), ref buffer);
        Assert.Equal(
            [SipFrameKind.KeepAlivePing, SipFrameKind.Message, SipFrameKind.KeepAlivePing], frames.Select(f => f.Kind));
        Assert.Equal(message, frames[1].Payload.ToArray());
    }

    [Fact]
    public void Half_a_ping_waits_for_more_bytes()
    {
        var buffer = new ReadOnlySequence<byte>("\r\n"u8.ToArray());
        Assert.False(new SipFrameScanner(65536).TryRead(ref buffer, out _));
        Assert.Equal(2, buffer.Length);
    }

    [Fact]
    public void Oversize_declared_body_is_a_framing_error()
    {
        var message = Message(new string('x', 100));
        var buffer = new ReadOnlySequence<byte>(message);
        Assert.Throws<SipFramingException>(() => new SipFrameScanner(message.Length - 1).TryRead(ref buffer, out _));
    }

    [Fact]
    public void Endless_headers_are_a_framing_error_once_past_the_limit()
    {
        var scanner = new SipFrameScanner(1024);
        var small = new ReadOnlySequence<byte>(new byte[1000].Select(_ => (byte)'A').ToArray());
        Assert.False(scanner.TryRead(ref small, out _));
        var big = new ReadOnlySequence<byte>(new byte[1025].Select(_ => (byte)'A').ToArray());
        Assert.Throws<SipFramingException>(() => scanner.TryRead(ref big, out _));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("")]
    public void Unusable_content_length_is_a_framing_error(string value)
    {
        var buffer = new ReadOnlySequence<byte>(SipText.Bytes($"OPTIONS sip:x@y SIP/2.0\nContent-Length: {value}\n\n"));
        Assert.Throws<SipFramingException>(() => new SipFrameScanner(65536).TryRead(ref buffer, out _));
    }

    [Fact]
    public void Missing_content_length_means_an_empty_body()
    {
        var bytes = SipText.Bytes("OPTIONS sip:x@y SIP/2.0\nVia: SIP/2.0/TCP h;branch=z9hG4bK2\n\n");
        var buffer = new ReadOnlySequence<byte>([.. bytes, .. bytes]);
        Assert.Equal(2, ReadAll(new SipFrameScanner(65536), ref buffer).Count);
    }
}
