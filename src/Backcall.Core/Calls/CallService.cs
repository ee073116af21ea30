using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;

namespace Backcall.Core.Calls;

/// <summary>
/// The one operation every call goes through, whether it came by SIP or by the PBX HTTP endpoint: judge
/// the call (<see cref="CallRules"/>) at the time it was received, persist the decision, and decide again
/// when the store reports that another call got there first.
/// </summary>
public sealed class CallService(
    ICallLogStore calls,
    IAuthorizationStore authorizations,
    AuthorizationIndex index,
    TimeProvider time)
{
    /// <summary>How many authorizations waiting on a number learn of a call from another phone.</summary>
    public const int MaxWrongCallerHints = 8;

    /// <summary>
    /// Each lost race means the authorization was confirmed meanwhile, so the next decision cannot lose.
    /// </summary>
    private const int MaxDecisions = 3;

    /// <summary>Raised after a call confirmed an authorization (already durable).</summary>
    public event Action<Authorization>? Confirmed;

    /// <summary>
    /// Raised after a confirmation queued a webhook that <see cref="DeliveryHandOff"/> did not take: it waits in
    /// the outbox for a claim.
    /// </summary>
    public event Action<WebhookDelivery>? DeliveryQueued;

    /// <summary>
    /// This node's webhook sender, when it runs: it takes the webhooks of the confirmations made here.
    /// </summary>
    public IDeliveryHandOff? DeliveryHandOff { get; set; }

    /// <summary>Raised after every call, with its final outcome.</summary>
    public event Action<IncomingCall, CallResult>? Received;

    /// <summary>
    /// Raised when the call-log row of a call answered before its write (see
    /// <see cref="ReceiveAsync(IncomingCall, CallLogWrite, CancellationToken)"/>) could not be written.
    /// </summary>
    public event Action<IncomingCall, Exception>? WriteBehindFailed;

    /// <summary>
    /// Judges the call and returns once everything it changed, its call-log row included, is durable.
    /// </summary>
    public Task<CallResult> ReceiveAsync(IncomingCall call, CancellationToken cancellationToken = default) =>
        ReceiveAsync(call, CallLogWrite.Durable, cancellationToken);

    /// <summary>
    /// Judges the call. A confirmation is always durable before this returns. With
    /// <see cref="CallLogWrite.BehindUnlessConfirming"/> a call that confirms nothing (a stranger, a late or a
    /// repeated call of a confirmed pair, an anonymous or a refused forwarded call) returns at once: its
    /// wrong-caller hint is applied in memory and its call-log row is queued for the store's next group
    /// commit, so a crash can lose the rows of the last moment's such calls, and nothing an app was told.
    /// </summary>
    public async Task<CallResult> ReceiveAsync(
        IncomingCall call,
        CallLogWrite write,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(call.CallId);
        var receivedAt = call.ReceivedAt ?? time.GetUtcNow();
        Authorization? current = null;
        for (var round = 1; ; round++)
        {
            var decision = await DecideAsync(call, receivedAt, current, cancellationToken).ConfigureAwait(false);
            if (decision.Confirm is null && write == CallLogWrite.BehindUnlessConfirming)
            {
                return ReceiveBehind(call, decision, receivedAt);
            }

            decision = WithLease(decision);

            var stored = await calls.RecordCallAsync(decision, cancellationToken).ConfigureAwait(false);
            if (stored.Status == CallRecordStatus.LostRace && round < MaxDecisions && stored.Current is not null)
            {
                current = stored.Current;
                index.Upsert(current);
                continue;
            }

            if (stored.Status == CallRecordStatus.LostRace)
            {
                throw new InvalidOperationException(
                    $"call {call.CallId}: the authorization kept changing while it was judged");
            }

            Apply(decision, stored, receivedAt);
            var result = new CallResult(stored.Outcome, stored.AuthorizationId, stored.Repeated);
            Received?.Invoke(call, result);
            return result;
        }
    }

    private CallResult ReceiveBehind(IncomingCall call, CallDecision decision, DateTimeOffset receivedAt)
    {
        // A repeated call id is found by the write, which then changes nothing; the hint it would have
        // skipped is the same hint, already there.
        _ = WriteBehindAsync(call, calls.RecordCallAsync(decision, CancellationToken.None));
        Apply(
            decision,
            new CallRecordResult(CallRecordStatus.Recorded, decision.Outcome, decision.AuthorizationId),
            receivedAt);
        var result = new CallResult(decision.Outcome, decision.AuthorizationId);
        Received?.Invoke(call, result);
        return result;
    }

    private async Task WriteBehindAsync(IncomingCall call, Task<CallRecordResult> write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            WriteBehindFailed?.Invoke(call, ex);
        }
    }

    private async Task<CallDecision> DecideAsync(
        IncomingCall call,
        DateTimeOffset receivedAt,
        Authorization? current,
        CancellationToken cancellationToken)
    {
        if (call.Redirection is { Allowed: false })
        {
            return CallRules.ForRedirected(call, receivedAt);
        }

        if (call.Caller is not { } caller)
        {
            return CallRules.ForAnonymous(call, receivedAt);
        }

        // After a lost race, current is the authorization as it is now; it takes the place it belongs to.
        var pair = current is { IsIdentify: false } ? current : index.FindByPair(call.Called, caller);
        var identify = current is { IsIdentify: true } ? current : index.FindIdentifyOn(call.Called);
        var chosen = CallRules.Choose(pair, identify, caller, receivedAt);
        if (current is null && (chosen is null || CallRules.Judge(chosen, receivedAt) == CallOutcome.Expired))
        {
            // Memory learns of an authorization created on another node a moment after its commit; a call
            // in that moment must not be lost, so the database is asked before the call counts as a stranger
            // or as late.
            var stored = await authorizations.FindCallCandidatesAsync(call.Called, caller, cancellationToken)
                .ConfigureAwait(false);
            pair = Newest(pair, stored.Pair);
            identify = Newest(identify, stored.Identify);
            chosen = CallRules.Choose(pair, identify, caller, receivedAt);
        }

        if (chosen is not null)
        {
            return CallRules.ForMatch(call, caller, chosen, receivedAt);
        }

        // The hint goes to the newest few waiting on the number: the caller most likely just got it, and
        // a busy number's thousands of authorizations need not all learn a stranger's masked number.
        var waiting = index.PendingOn(call.Called, receivedAt, MaxWrongCallerHints);
        return CallRules.ForStranger(
            call,
            caller,
            waiting,
            index.HasOneTokenPendingOn(call.Called, receivedAt),
            receivedAt,
            identify);
    }

    /// <summary>
    /// The stored authorization when it is newer than memory's (and memory learns it), else memory's.
    /// </summary>
    private Authorization? Newest(Authorization? known, Authorization? stored)
    {
        if (stored is null || (known is not null && stored.Id <= known.Id))
        {
            return known;
        }

        index.Upsert(stored);
        return stored;
    }

    /// <summary>The decision with its webhook claimed by this node's sender, when it has room for it.</summary>
    private CallDecision WithLease(CallDecision decision)
    {
        if (decision.Confirm is not { Webhook: { } webhook } confirm || DeliveryHandOff is not { } handOff)
        {
            return decision;
        }

        var lease = handOff.Lease(webhook.Url, time.GetUtcNow());
        return lease is null
            ? decision
            : decision with { Confirm = confirm with { Webhook = webhook with { Lease = lease } } };
    }

    private void Apply(CallDecision decision, CallRecordResult stored, DateTimeOffset receivedAt)
    {
        if (stored.Confirmed is not null)
        {
            index.Upsert(stored.Confirmed);
            if (stored.Delivery is { } delivery)
            {
                HandOver(delivery, decision.Confirm?.Webhook?.Lease);
            }

            Confirmed?.Invoke(stored.Confirmed);
            return;
        }

        if (stored.Repeated || decision.Hint is null)
        {
            return;
        }

        foreach (var id in decision.HintIds)
        {
            index.TryLeaveOtherCaller(id, decision.Hint, receivedAt);
        }
    }

    private void HandOver(WebhookDelivery delivery, DeliveryLease? lease)
    {
        if (lease is null)
        {
            DeliveryQueued?.Invoke(delivery);
            return;
        }

        // The sender may have stopped since it gave the lease; the lease then runs out like a crashed node's.
        DeliveryHandOff?.Take(delivery, lease);
    }
}
