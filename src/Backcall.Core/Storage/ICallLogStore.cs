using Backcall.Core.Calls;

namespace Backcall.Core.Storage;

/// <summary>Calls as <see cref="CallService"/> judged them.</summary>
public interface ICallLogStore
{
    /// <summary>
    /// Logs the call and applies the decision in one transaction: the confirmation (only if the
    /// authorization is still as the decision saw it: not confirmed, same expiry), the withdrawal of its
    /// queued expiry notices, the confirmation webhook and the wrong-caller hints. A call id seen before
    /// changes nothing and answers the earlier outcome, marked repeated. A confirmation whose premise no
    /// longer holds writes nothing and answers <see cref="CallRecordStatus.LostRace"/> with the authorization
    /// as it is now, so the core can decide again.
    /// </summary>
    Task<CallRecordResult> RecordCallAsync(CallDecision decision, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CallLogEntry>> ListCallsAsync(CallQuery query, CancellationToken cancellationToken = default);
}
