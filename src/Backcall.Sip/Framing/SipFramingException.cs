namespace Backcall.Sip.Framing;

/// <summary>
/// The stream cannot be framed any more (oversize message, unusable Content-Length): close the connection.
/// </summary>
internal sealed class SipFramingException(string message) : Exception(message);
