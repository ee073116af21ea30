namespace Backcall.Sip.Parsing;

/// <summary>Why a message was refused. Anything but <see cref="None"/> means the message is invalid.</summary>
internal enum SipParseError
{
    None = 0,

    /// <summary>Nothing but whitespace/CRLF.</summary>
    Empty,

    /// <summary>Bigger than the configured maximum; dropped, never answered.</summary>
    TooLarge,

    MalformedStartLine,

    /// <summary>SIP-Version other than 2.0: answered with 505 (RFC 4475 §3.1.2.16).</summary>
    UnsupportedVersion,

    MalformedHeader,
    MissingHeader,
    DuplicateHeader,
    MalformedVia,
    MalformedAddress,
    MalformedRequestUri,
    MalformedCSeq,
    MethodMismatch,
    MalformedCallId,
    MalformedMaxForwards,
    MalformedContentLength,

    /// <summary>Content-Length larger than the datagram (RFC 4475 §3.1.2.2).</summary>
    TruncatedBody,

    MalformedDate,
}
