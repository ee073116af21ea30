using System.Net;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Message;
using Backcall.Sip.Processing;

namespace Backcall.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.1 INVITE server transaction for a UAS that only ever rejects:
/// Proceeding (asking the application) → Completed (final 3xx-6xx sent; Timer G retransmits it on UDP
/// from T1 doubling up to T2 until the ACK; Timer H = 64·T1 gives up) → Confirmed (ACK absorbed for
/// Timer I = T4 on UDP, 0 on TCP) → Terminated. A confirmed transaction on UDP is held by the table as its
/// key alone (<see cref="ConfirmedInvites"/>), not as this object.
/// </summary>
internal sealed class InviteServerTransaction : ServerTransaction
{
    // The request and what the application was asked are let go once the final response is built, and the
    // object itself once the ACK comes: at a thousand calls a second, whatever a call leaves alive for seconds
    // is copied by every collection it survives.
    private SipRequest? _request;
    private InviteRequest? _invite;
    private IInviteHandler? _handler;
    private State _state = State.Proceeding;
    private byte[]? _provisional;
    private byte[]? _final;
    private int _finalStatus;
    private TimeSpan _timerGInterval;
    private ScheduledTimer? _timerTrying;
    private ScheduledTimer? _timerDecision;
    private ScheduledTimer? _timerG;
    private ScheduledTimer? _timerH;
    private CancellationTokenSource? _decisionCts;

    /// <param name="invite">What to ask the application, or null when the final response is known up front.</param>
    public InviteServerTransaction(
        TransactionContext context,
        string key,
        SipRequest request,
        SipChannel channel,
        IPEndPoint destination,
        InviteRequest? invite,
        IInviteHandler? handler)
        : base(context, key, request, channel, destination)
    {
        _request = request;
        _invite = invite;
        _handler = handler;
    }

    private enum State
    {
        Proceeding,
        Completed,
        Confirmed,
        Terminated,
    }

    /// <summary>Starts the transaction: arms 100 Trying and asks the application (exactly once).</summary>
    public void Start()
    {
        if ((_invite, _handler) is not ({ } invite, { } handler))
        {
            return;
        }

        CancellationToken token;
        lock (Sync)
        {
            // Why a delayed 100: RFC 3261 §17.2.1 only requires it when the TU will not answer within
            // 200 ms. Deciding is usually a quick lookup, so the common case costs one datagram, not two;
            // a slow decision still stops the trunk's Timer A retransmissions in time.
            if (Context.TryingDelay <= TimeSpan.Zero)
            {
                SendTrying();
            }
            else
            {
                _timerTrying = Context.Scheduler.Schedule(
                    Context.TryingDelay,
                    static s => ((InviteServerTransaction)s).OnTryingTimer(),
                    this);
            }

            _decisionCts = new CancellationTokenSource();
            token = _decisionCts.Token;
            _timerDecision = Context.Scheduler.Schedule(
                Context.DecisionTimeout,
                static s => ((InviteServerTransaction)s).OnDecisionTimeout(),
                this);
        }

        Context.Metrics.HandlerCalled();
        _ = DecideAsync(invite, handler, token);
    }

    private async Task DecideAsync(InviteRequest invite, IInviteHandler handler, CancellationToken cancellationToken)
    {
        int status;
        try
        {
            var pending = handler.HandleInviteAsync(invite, cancellationToken);
            var decision = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
            status = decision.StatusCode ?? Context.DefaultRejectCode;
            if (!SipRejectDecision.IsAllowedRejectCode(status))
            {
                SipLog.HandlerBadStatus(Context.Logger, status, CallId);
                status = Context.DefaultRejectCode;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // CANCEL (487 already sent), decision timeout (default sent) or shutdown
        }
        catch (Exception ex)
        {
            SipLog.HandlerFailed(Context.Logger, CallId, ex);
            status = Context.DefaultRejectCode;
        }

        CancelDecision(); // releases the token source; the handler is done with it
        if (Complete(status))
        {
            SipLog.InviteRejected(
                Context.Logger,
                CallId,
                invite.Trunk.Name,
                invite.CallerNumber,
                invite.CalledNumber,
                status);
        }
    }

    /// <summary>Sends the final response if still Proceeding. Returns false if a final was already sent.</summary>
    public bool Complete(int status)
    {
        lock (Sync)
        {
            if (_state != State.Proceeding)
            {
                return false;
            }

            _state = State.Completed;
            _finalStatus = status;
            _timerTrying?.Cancel();
            _timerDecision?.Cancel();
            _final = Context.Responses.Build(_request!, status, Destination, addToTag: true);
            (_request, _invite, _handler, _provisional) = (null, null, null, null);

            // The timers are armed before the response goes out: whoever sees the 486 sees them running.
            if (!IsReliable)
            {
                _timerGInterval = Context.T1;
                _timerG = Context.Scheduler.Schedule(
                    _timerGInterval,
                    static s => ((InviteServerTransaction)s).OnTimerG(),
                    this);
            }

            _timerH = Context.Scheduler.Schedule(
                Context.TimeoutInterval,
                static s => ((InviteServerTransaction)s).OnTimerH(),
                this);
            Send(_final);
        }

        Context.Metrics.Rejected(status);
        return true;
    }

    /// <summary>
    /// CANCEL matched this INVITE. If the application has not decided yet the INVITE is answered 487
    /// (RFC 3261 §9.2) and the decision is abandoned. Returns whether that happened.
    /// </summary>
    public bool Cancel()
    {
        if (!Complete(487))
        {
            return false;
        }

        SipLog.InviteCancelled(Context.Logger, CallId);
        CancelDecision();
        return true;
    }

    public override void OnRetransmission()
    {
        lock (Sync)
        {
            switch (_state)
            {
                case State.Proceeding:
                    // §17.2.1: repeat the latest provisional; if none went out yet, 100 now quiets the client.
                    if (_provisional is null)
                    {
                        SendTrying();
                    }
                    else
                    {
                        Send(_provisional);
                    }

                    break;
                case State.Completed:
                    Context.Metrics.Retransmitted();
                    Send(_final!);
                    break;
                default:
                    break; // Confirmed: absorbed
            }
        }
    }

    public void OnAck()
    {
        lock (Sync)
        {
            if (_state != State.Completed)
            {
                return;
            }

            _state = State.Confirmed;
            _timerG?.Cancel();
            _timerH?.Cancel();
            if (IsReliable)
            {
                TerminateLocked();
                return;
            }

            // Confirmed absorbs ACK retransmissions for Timer I (T4); the table does that by the key alone.
            Context.Table.Confirm(this, Context.T4);
        }
    }

    public override void Abort()
    {
        CancelDecision();
        lock (Sync)
        {
            TerminateLocked();
        }
    }

    /// <summary>The final status code sent, 0 while Proceeding (for tests and logs).</summary>
    public int FinalStatus
    {
        get
        {
            lock (Sync)
            {
                return _finalStatus;
            }
        }
    }

    private void SendTrying()
    {
        // Only while Proceeding, so the request is still held.
        _provisional ??= Context.Responses.Build(_request!, 100, Destination, addToTag: false);
        Send(_provisional);
    }

    private void OnTryingTimer()
    {
        lock (Sync)
        {
            if (_state == State.Proceeding && _provisional is null)
            {
                SendTrying();
            }
        }
    }

    private void OnDecisionTimeout()
    {
        if (Complete(Context.DefaultRejectCode))
        {
            SipLog.HandlerTimedOut(Context.Logger, CallId, Context.DecisionTimeout);
            CancelDecision();
        }
    }

    private void OnTimerG()
    {
        lock (Sync)
        {
            if (_state != State.Completed)
            {
                return;
            }

            Context.Metrics.Retransmitted();
            Send(_final!);
            _timerGInterval = TimeSpan.FromTicks(Math.Min(_timerGInterval.Ticks * 2, Context.T2.Ticks));
            _timerG = Context.Scheduler.Schedule(
                _timerGInterval,
                static s => ((InviteServerTransaction)s).OnTimerG(),
                this);
        }
    }

    private void OnTimerH()
    {
        lock (Sync)
        {
            if (_state != State.Completed)
            {
                return;
            }

            SipLog.TimerH(Context.Logger, CallId);
            TerminateLocked();
        }
    }

    private void TerminateLocked()
    {
        _state = State.Terminated;
        _timerTrying?.Cancel();
        _timerDecision?.Cancel();
        _timerG?.Cancel();
        _timerH?.Cancel();
        Remove();
    }

    private void CancelDecision()
    {
        var cts = Interlocked.Exchange(ref _decisionCts, null);
        if (cts is null)
        {
            return;
        }

        try
        {
            cts.Cancel();
        }
        finally
        {
            cts.Dispose();
        }
    }
}
