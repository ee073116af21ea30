namespace Backcall.Sip;

/// <summary>
/// The application's answer to an INVITE: which final rejection to send. There is deliberately no way to
/// answer (2xx): Backcall verifies a phone by the call attempt itself and must never pick up.
/// </summary>
public readonly record struct SipRejectDecision
{
    private SipRejectDecision(int? statusCode) => StatusCode = statusCode;

    /// <summary>The status to send, or null for the configured <see cref="SipOptions.RejectCode"/>.</summary>
    public int? StatusCode { get; }

    /// <summary>Use the configured default code.</summary>
    public static SipRejectDecision Default => default;

    /// <summary>486 Busy Here.</summary>
    public static SipRejectDecision BusyHere => new(486);

    /// <summary>603 Decline.</summary>
    public static SipRejectDecision Decline => new(603);

    /// <summary>480 Temporarily Unavailable.</summary>
    public static SipRejectDecision TemporarilyUnavailable => new(480);

    /// <summary>404 Not Found (e.g. the called number is not in the pool).</summary>
    public static SipRejectDecision NotFound => new(404);

    /// <summary>Any 4xx-6xx final code except 401, 407 and 487.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not a usable rejection.</exception>
    public static SipRejectDecision WithStatus(int statusCode) =>
        IsAllowedRejectCode(statusCode)
            ? new(statusCode)
            : throw new ArgumentOutOfRangeException(
                nameof(statusCode),
                statusCode,
                "Use a 4xx-6xx code other than 401, 407 and 487.");

    /// <summary>
    /// 4xx-6xx, except 401/407 (they need an authentication challenge we do not issue) and 487 (reserved
    /// for a CANCELled INVITE).
    /// </summary>
    public static bool IsAllowedRejectCode(int statusCode) =>
        statusCode is >= 400 and <= 699 and not (401 or 407 or 487);
}
