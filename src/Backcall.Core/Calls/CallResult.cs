namespace Backcall.Core.Calls;

/// <summary>The answer of the call operation.</summary>
/// <param name="Outcome">What the call did.</param>
/// <param name="AuthorizationId">The authorization the call was matched against, if any.</param>
/// <param name="Repeated">True when this call id had been seen before: the earlier outcome is returned and nothing
/// changes.</param>
public sealed record CallResult(CallOutcome Outcome, long? AuthorizationId, bool Repeated = false);
