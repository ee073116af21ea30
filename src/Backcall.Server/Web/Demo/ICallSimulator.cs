using Backcall.Core.Calls;
using Backcall.Core.Phones;

namespace Backcall.Server.Web.Demo;

/// <summary>Places the demo's "simulated" call from a phone to a pool number.</summary>
public interface ICallSimulator
{
    /// <summary>For the logs and the page: how the call is placed.</summary>
    string Name { get; }

    Task<CallOutcome?> CallAsync(E164Phone caller, E164Phone called, CancellationToken cancellationToken);
}

/// <summary>
/// Hands the call straight to the call operation, as the PBX endpoint does. Used while no SIP listener is
/// there to send a real INVITE to.
/// </summary>
internal sealed class DirectCallSimulator(CallService calls) : ICallSimulator
{
    public string Name => "direct";

    public async Task<CallOutcome?> CallAsync(E164Phone caller, E164Phone called, CancellationToken cancellationToken)
    {
        var result = await calls.ReceiveAsync(new IncomingCall("demo-" + Guid.NewGuid().ToString("N"), caller, called, "demo:simulated"), cancellationToken);
        return result.Outcome;
    }
}
