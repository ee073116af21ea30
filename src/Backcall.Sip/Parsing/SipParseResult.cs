using Backcall.Sip.Message;

namespace Backcall.Sip.Parsing;

/// <summary>
/// Outcome of parsing one message. <see cref="Message"/> can be non-null even when <see cref="Error"/>
/// is set: whatever was understood (Via, CSeq, ...) is kept so a 400 can still be routed back.
/// </summary>
internal readonly record struct SipParseResult(SipMessage? Message, SipParseError Error, string Detail)
{
    public bool IsValid => Error == SipParseError.None && Message is not null;

    public static SipParseResult Fail(SipParseError error, string detail, SipMessage? partial = null) =>
        new(partial, error, detail);
}
