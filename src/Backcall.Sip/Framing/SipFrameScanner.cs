using System.Buffers;
using System.Buffers.Text;

namespace Backcall.Sip.Framing;

/// <summary>
/// Cuts SIP messages out of a byte stream (TCP), in the shape of RESPite's frame scanners:
/// call <see cref="TryRead"/> in a loop; it advances <c>buffer</c> past each frame and returns false when
/// more bytes are needed. Frames are delimited by the blank line and the Content-Length header
/// (RFC 3261 §18.3: on streams Content-Length is how the body ends). Between messages, CRLF CRLF is a
/// keep-alive ping and a lone CRLF a pong (RFC 5626 §3.5.1).
/// </summary>
internal sealed class SipFrameScanner(int maxMessageSize)
{
    private static ReadOnlySpan<byte> HeaderTerminator => "\r\n\r\n"u8;

    public int MaxMessageSize { get; } = maxMessageSize;

    /// <exception cref="SipFramingException">The stream is unframeable; the connection must be closed.</exception>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out SipFrame frame)
    {
        frame = default;
        if (!SkipInterMessageBytes(ref buffer, out var isPing))
        {
            return false;
        }

        if (isPing)
        {
            frame = new SipFrame(SipFrameKind.KeepAlivePing, buffer.Slice(0, 4));
            buffer = buffer.Slice(4);
            return true;
        }

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> headers, HeaderTerminator, advancePastDelimiter: true))
        {
            if (buffer.Length > MaxMessageSize)
            {
                throw new SipFramingException($"no end of headers within {MaxMessageSize} bytes");
            }

            return false;
        }

        var headerLength = reader.Consumed;
        var contentLength = ReadContentLength(headers);
        var total = headerLength + contentLength;
        if (total > MaxMessageSize)
        {
            throw new SipFramingException($"message of {total} bytes exceeds {MaxMessageSize}");
        }

        if (buffer.Length < total)
        {
            return false;
        }

        frame = new SipFrame(SipFrameKind.Message, buffer.Slice(0, total));
        buffer = buffer.Slice(total);
        return true;
    }

    /// <summary>
    /// Drops CRLF pongs before a message and detects a CRLFCRLF ping. Returns false when the bytes seen so far
    /// could still become a ping (we must not mistake the first half of a ping for a pong).
    /// </summary>
    private static bool SkipInterMessageBytes(ref ReadOnlySequence<byte> buffer, out bool isPing)
    {
        isPing = false;
        Span<byte> head = stackalloc byte[4];
        while (!buffer.IsEmpty)
        {
            var n = (int)Math.Min(4, buffer.Length);
            buffer.Slice(0, n).CopyTo(head);
            if (head[0] == '\n')
            {
                buffer = buffer.Slice(1); // stray LF: tolerated
                continue;
            }

            if (head[0] != '\r')
            {
                return true;
            }

            if (n < 4)
            {
                return false;
            }

            if (head[1] == '\n' && head[2] == '\r' && head[3] == '\n')
            {
                isPing = true;
                return true;
            }

            buffer = buffer.Slice(head[1] == '\n' ? 2 : 1);
        }

        return false;
    }

    /// <summary>Finds Content-Length (or compact "l") in the header block; absent means 0.</summary>
    private long ReadContentLength(ReadOnlySequence<byte> headers)
    {
        byte[]? rented = null;
        var span = headers.IsSingleSegment
            ? headers.FirstSpan
            : (rented = ArrayPool<byte>.Shared.Rent((int)headers.Length)).AsSpan(0, (int)headers.Length);
        try
        {
            if (rented is not null)
            {
                headers.CopyTo(rented);
            }

            return ParseContentLength(span);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static long ParseContentLength(ReadOnlySpan<byte> block)
    {
        while (!block.IsEmpty)
        {
            var lf = block.IndexOf((byte)'\n');
            var line = lf < 0 ? block : block[..lf];
            block = lf < 0 ? default : block[(lf + 1)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t')
            {
                continue;
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (!name.SequenceEqual("l"u8)
                && !name.SequenceEqual("L"u8)
                && !System.Text.Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim(" \t\r"u8);

            // Folded value: Content-Length on a continuation line.
            while (value.IsEmpty && !block.IsEmpty && block[0] is (byte)' ' or (byte)'\t')
            {
                var next = block.IndexOf((byte)'\n');
                value = (next < 0 ? block : block[..next]).Trim(" \t\r"u8);
                block = next < 0 ? default : block[(next + 1)..];
            }

            if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || !Utf8Parser.TryParse(value, out long length, out var consumed) || consumed != value.Length)
            {
                throw new SipFramingException("unusable Content-Length");
            }

            return length;
        }

        return 0;
    }
}
