namespace Backcall.Sip;

/// <summary>Transport protocol of a SIP endpoint.</summary>
public enum SipTransport
{
    Udp,
    Tcp,

    /// <summary>TLS over TCP (RFC 3261 §26.2); Via transport <c>TLS</c>, default port 5061.</summary>
    Tls,
}
