namespace Backcall.Sip.Transport;

/// <summary>What every TCP/TLS connection of one server is held to (from <see cref="SipOptions"/>).</summary>
internal sealed record TcpConnectionSettings(
    int MaxMessageSize,
    TimeSpan IdleTimeout,
    TimeSpan MessageTimeout,
    TimeProvider Time)
{
    public static TcpConnectionSettings From(SipOptions options, TimeProvider time) =>
        new(options.MaxMessageSize, options.TcpIdleTimeout, options.TcpMessageTimeout, time);
}
