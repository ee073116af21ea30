namespace Backcall.Sip.Message;

/// <summary>
/// One header field after line unfolding. <see cref="Name"/> is the canonical long form for known
/// headers (compact forms such as <c>v</c> and <c>i</c> are expanded) and the received spelling otherwise.
/// </summary>
/// <remarks>
/// Values are kept as Latin-1 strings: every byte maps to exactly one char, so the SIP grammar (which is
/// ASCII) can be checked char by char and the value can be echoed back byte-for-byte in responses even
/// when it carries UTF-8 or control characters.
/// </remarks>
internal readonly record struct SipHeader(string Name, string Value);
