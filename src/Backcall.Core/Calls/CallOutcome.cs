namespace Backcall.Core.Calls;

/// <summary>What a call did. Stored in the call log as its lowercase name.</summary>
public enum CallOutcome
{
    /// <summary>The call confirmed a pending authorization.</summary>
    Matched = 0,

    /// <summary>The pair matched an authorization that was already confirmed by an earlier call.</summary>
    AlreadyConfirmed = 1,

    /// <summary>Nothing was waiting for a call to this number.</summary>
    NoLiveAuthorization = 2,

    /// <summary>The number was waiting for a call, but from another phone.</summary>
    WrongCaller = 3,

    /// <summary>The pair matched an authorization whose lifetime had run out.</summary>
    Expired = 4,

    /// <summary>The caller hid its number.</summary>
    Anonymous = 5,

    /// <summary>Forwarded to the number from another one, and the way in does not take that as proof.</summary>
    Redirected = 6,
}

public static class CallOutcomeNames
{
    public static string ToWire(this CallOutcome outcome) => outcome switch
    {
        CallOutcome.Matched => "matched",
        CallOutcome.AlreadyConfirmed => "already_confirmed",
        CallOutcome.NoLiveAuthorization => "no_live_authorization",
        CallOutcome.WrongCaller => "wrong_caller",
        CallOutcome.Expired => "expired",
        CallOutcome.Anonymous => "anonymous",
        CallOutcome.Redirected => "redirected",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static CallOutcome FromWire(string value) => value switch
    {
        "matched" => CallOutcome.Matched,
        "already_confirmed" => CallOutcome.AlreadyConfirmed,
        "no_live_authorization" => CallOutcome.NoLiveAuthorization,
        "wrong_caller" => CallOutcome.WrongCaller,
        "expired" => CallOutcome.Expired,
        "anonymous" => CallOutcome.Anonymous,
        "redirected" => CallOutcome.Redirected,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown call outcome."),
    };
}
