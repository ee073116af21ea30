using System.Net;

namespace Backcall.Sip.Processing;

/// <summary>
/// Where a request came in and where its responses go out: a UDP socket (responses are sent from the
/// same socket, so NATs and trunks see the port they talked to) or one TCP connection.
/// </summary>
internal abstract class SipChannel
{
    public abstract SipTransport Transport { get; }

    public abstract IPEndPoint LocalEndPoint { get; }

    public bool IsReliable => SipEndpoint.IsReliable(Transport);

    /// <summary>Queues one message. Never blocks on the network and never throws; failures are logged.</summary>
    public abstract void Send(ReadOnlyMemory<byte> message, IPEndPoint remote);

    /// <summary>
    /// Queues a response to <paramref name="remote"/> (see <see cref="ResponseRoute.Destination"/>). A
    /// connection that has closed meanwhile opens a new one there (RFC 3261 §18.2.2), checking a TLS peer's
    /// certificate against <paramref name="sentByHost"/>, the host of the request's top Via.
    /// </summary>
    public virtual void SendResponse(ReadOnlyMemory<byte> message, IPEndPoint remote, string sentByHost) =>
        Send(message, remote);

    /// <summary>Closes a connection once what is queued has been sent; reads nothing more. No-op on UDP.</summary>
    public virtual void CloseWhenSent()
    {
    }
}
