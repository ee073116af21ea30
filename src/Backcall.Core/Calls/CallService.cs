using Backcall.Core.Authorizations;
using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Core.Calls;

/// <summary>
/// The one operation every call goes through, whether it came by SIP or by the PBX HTTP endpoint: match
/// (called, caller) to a live authorization, confirm it, and log the call.
/// </summary>
public sealed class CallService(IBackcallStore store, AuthorizationIndex index, TimeProvider time)
{
    /// <summary>How many authorizations waiting on a number learn of a call from another phone.</summary>
    public const int MaxWrongCallerHints = 8;

    /// <summary>Raised after a call confirmed an authorization (already durable).</summary>
    public event Action<Authorization>? Confirmed;

    /// <summary>Raised after every call, with its final outcome.</summary>
    public event Action<IncomingCall, CallResult>? Received;

    public async Task<CallResult> ReceiveAsync(IncomingCall call, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(call.CallId);
        var now = time.GetUtcNow();
        var record = Decide(call, now);
        var stored = await store.RecordCallAsync(record, cancellationToken).ConfigureAwait(false);

        if (stored.Confirmed is not null)
        {
            index.Upsert(stored.Confirmed);
            Confirmed?.Invoke(stored.Confirmed);
        }
        else if (!stored.Repeated && record.OtherCallerHint is not null)
        {
            foreach (var id in record.WrongCallerAuthorizationIds)
            {
                if (index.TryGet(id, out var a) && a.IsLiveAt(now))
                {
                    index.Upsert(a with { OtherCaller = record.OtherCallerHint });
                }
            }
        }

        var result = new CallResult(stored.Outcome, stored.AuthorizationId, stored.Repeated);
        Received?.Invoke(call, result);
        return result;
    }

    private CallRecord Decide(IncomingCall call, DateTimeOffset now)
    {
        if (call.Caller is not { } caller)
        {
            return new CallRecord(call, now, CallOutcome.Anonymous, null, [], null);
        }

        var match = index.FindByPair(call.Called, caller);
        if (match is not null)
        {
            var outcome = match.StatusAt(now) switch
            {
                AuthorizationStatus.Pending => CallOutcome.Matched,
                AuthorizationStatus.Ok => CallOutcome.AlreadyConfirmed,
                _ => CallOutcome.Expired,
            };
            return new CallRecord(call, now, outcome, match.Id, [], null);
        }

        // The hint goes to the newest few waiting on the number: the caller most likely just got it, and
        // a busy number's thousands of authorizations need not all learn a stranger's masked number.
        var waiting = index.PendingOn(call.Called, now, MaxWrongCallerHints);
        if (waiting.Count > 0)
        {
            return new CallRecord(call, now, CallOutcome.WrongCaller, null, [.. waiting.Select(a => a.Id)], PhoneMasking.Mask(caller.Value));
        }

        return new CallRecord(call, now, CallOutcome.NoLiveAuthorization, null, [], null);
    }
}
