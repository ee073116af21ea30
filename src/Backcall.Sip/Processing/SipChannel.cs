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

    public bool IsReliable => Transport == SipTransport.Tcp;

    /// <summary>Queues one message. Never blocks on the network and never throws; failures are logged.</summary>
    public abstract void Send(ReadOnlyMemory<byte> message, IPEndPoint remote);
}
