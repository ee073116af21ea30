namespace Backcall.Sip.Registration;

/// <summary>How one REGISTER exchange (its challenges included) ended.</summary>
internal readonly record struct RegisterOutcome(
    bool Success,
    TimeSpan Granted,
    int Status,
    string Reason,
    bool Forbidden)
{
    public static RegisterOutcome Registered(TimeSpan granted) => new(true, granted, 200, "", false);

    public static RegisterOutcome Failed(int status, string reason, bool forbidden = false) =>
        new(false, TimeSpan.Zero, status, reason, forbidden);
}
