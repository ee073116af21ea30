using System.Net;
using Backcall.Sip.Message;
using Backcall.Sip.Processing;

namespace Backcall.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.2 non-INVITE server transaction. We always answer at once, so it goes straight to
/// Completed; on UDP it lingers for Timer J (64·T1) to answer retransmissions with the same response,
/// on TCP it terminates immediately (Timer J = 0) and is never stored.
/// </summary>
internal sealed class NonInviteServerTransaction(
    TransactionContext context,
    string key,
    SipRequest request,
    SipChannel channel,
    IPEndPoint destination,
    byte[] response) : ServerTransaction(context, key, request, channel, destination)
{
    private ScheduledTimer? _timerJ;

    /// <summary>
    /// Sends the response and arms Timer J. Call after the transaction was added to the table (UDP only).
    /// </summary>
    public void Start()
    {
        Send(response);
        if (!IsReliable)
        {
            _timerJ = Context.Scheduler.Schedule(
                Context.TimeoutInterval,
                static s => ((NonInviteServerTransaction)s).Remove(),
                this);
        }
    }

    public override void OnRetransmission()
    {
        Context.Metrics.Retransmitted();
        Send(response);
    }

    public override void Abort()
    {
        _timerJ?.Cancel();
        Remove();
    }
}
