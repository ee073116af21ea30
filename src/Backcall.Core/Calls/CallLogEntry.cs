namespace Backcall.Core.Calls;

/// <summary>A row of the call log: every call that reached Backcall, with its outcome.</summary>
/// <remarks>
/// <c>RedirectedFrom</c> is the number that forwarded the call (<see cref="CallRedirection.From"/>), if any.
/// </remarks>
public sealed record CallLogEntry(
    long Id,
    string CallId,
    string? Caller,
    string Called,
    string Source,
    DateTimeOffset ReceivedAt,
    CallOutcome Outcome,
    long? AuthorizationId,
    string? RedirectedFrom = null);
