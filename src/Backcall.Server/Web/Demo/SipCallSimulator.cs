using System.Net;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Server.Sip;
using Backcall.Sip;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// Sends a real SIP INVITE from the user's phone to the pool number at this server's own SIP listener, so
/// the demo runs the whole path a carrier's call takes (transport, transaction, trunk, caller id, matching,
/// rejection) without a trunk. Without a SIP listener (no endpoint configured) it hands the call to the call
/// operation directly, as the PBX endpoint would.
/// </summary>
internal sealed class SipCallSimulator(
    SipListener listener,
    CallService calls,
    TimeProvider time,
    ILoggerFactory loggers) : ICallSimulator
{
    /// <summary>Loopback answers in microseconds: a short T1 makes a lost listener show in seconds, not 32.</summary>
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(100);

    public string Name => "sip";

    public async Task<SimulatedCall> CallAsync(E164Phone caller, E164Phone called, CancellationToken cancellationToken)
    {
        if (Target(listener.Endpoints) is not { } target)
        {
            var result = await calls.ReceiveAsync(
                new IncomingCall("demo-" + Guid.NewGuid().ToString("N"), caller, called, "demo:direct"),
                cancellationToken);
            return new SimulatedCall("direct", result.Outcome);
        }

        var via = $"sip {target.Transport.ToString().ToLowerInvariant()} {target.EndPoint}";
        var client = new SipCallClient(time, loggers) { T1 = T1 };
        var answer = await client.CallAsync(target, caller.Value, called.Value, cancellationToken);
        if (answer.TimedOut)
        {
            throw new InvalidOperationException(
                $"the SIP listener at {target.EndPoint} did not answer the INVITE; if Sip:Trunks is configured, "
                    + "add 127.0.0.1 to a trunk's sources");
        }

        return new SimulatedCall(via, SipStatus: answer.StatusCode, SipReason: answer.ReasonPhrase);
    }

    /// <summary>
    /// The listener to call, UDP first (what carriers use), reached over loopback when bound to any address.
    /// </summary>
    private static SipEndpoint? Target(IReadOnlyList<SipEndpoint> endpoints)
    {
        var chosen = endpoints
            .OrderBy(e => e.Transport == SipTransport.Udp ? 0 : 1)
            .Cast<SipEndpoint?>()
            .FirstOrDefault();
        if (chosen is not { } e)
        {
            return null;
        }

        var address = e.EndPoint.Address;
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        return e with { EndPoint = new IPEndPoint(address, e.EndPoint.Port) };
    }
}
