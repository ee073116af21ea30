namespace Backcall.Sip.Message;

/// <summary>CSeq header: a 32-bit sequence number and the request method (RFC 3261 §20.16).</summary>
internal readonly record struct SipCSeq(uint Number, string Method)
{
    public override string ToString() => $"{Number} {Method}";
}
