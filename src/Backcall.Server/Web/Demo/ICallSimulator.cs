using Backcall.Core.Calls;
using Backcall.Core.Phones;

namespace Backcall.Server.Web.Demo;

/// <summary>How a simulated call went: the way it took and, as far as that way tells, its result.</summary>
/// <param name="Via">E.g. <c>sip udp 127.0.0.1:5060</c> or <c>direct</c>.</param>
/// <param name="Outcome">The call operation's outcome, when the call was handed over directly.</param>
/// <param name="SipStatus">The final SIP response (486 when the server rejected the call as it should).</param>
public sealed record SimulatedCall(
    string Via,
    CallOutcome? Outcome = null,
    int? SipStatus = null,
    string? SipReason = null);

/// <summary>Places the demo's "simulated" call from a phone to a pool number.</summary>
public interface ICallSimulator
{
    /// <summary>For the logs: how calls are placed.</summary>
    string Name { get; }

    Task<SimulatedCall> CallAsync(E164Phone caller, E164Phone called, CancellationToken cancellationToken);
}
