using System.Net;

namespace Backcall.Sip.Registration;

/// <summary>
/// The socket a registration talks to its registrar on, and the provider's calls come back on (the NAT
/// binding the provider knows us by): one UDP socket, or one TCP connection.
/// </summary>
internal interface IRegistrarLink : IAsyncDisposable
{
    SipTransport Transport { get; }

    /// <summary>Our address on this socket, as put in Via and Contact.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The registrar address this link sends to.</summary>
    IPEndPoint Remote { get; }

    bool IsReliable => Transport != SipTransport.Udp;

    /// <summary>Completes when the link can no longer be used (a TCP connection closed); never for UDP.</summary>
    Task Closed { get; }

    /// <summary>Queues one message to the registrar; never blocks or throws (a failure closes a TCP link).</summary>
    void Send(ReadOnlyMemory<byte> message);
}
