using System.Buffers;

namespace Backcall.Sip.Framing;

internal enum SipFrameKind
{
    /// <summary>A complete SIP message (headers plus Content-Length bytes of body).</summary>
    Message,

    /// <summary>RFC 5626 §3.5.1 keep-alive ping (CRLF CRLF); answer with a single CRLF pong.</summary>
    KeepAlivePing,
}

/// <summary>
/// One unit cut from a stream. <see cref="Payload"/> slices the caller's buffer: consume it before advancing the
/// reader.
/// </summary>
internal readonly record struct SipFrame(SipFrameKind Kind, ReadOnlySequence<byte> Payload);
