namespace Backcall.Sip;

/// <summary>Transport protocol of a SIP endpoint.</summary>
public enum SipTransport
{
    Udp,
    Tcp,
}
