using Backcall.Core.Phones;

namespace Backcall.Core.Authorizations;

/// <summary>One request to verify a phone: the user's phone, the pool number handed out, and what came of it.</summary>
public sealed record Authorization
{
    public required long Id { get; init; }

    public required long TokenId { get; init; }

    /// <summary>
    /// The phone that is to call, or null in identify mode: the app asked for no phone, the number is held for this
    /// authorization alone, and whichever phone calls it first is the answer (<see cref="ConfirmedPhone"/>).
    /// </summary>
    public required E164Phone? UserPhone { get; init; }

    public required E164Phone AuthNumber { get; init; }

    /// <summary>Random key of the QR image URL; unlike the id it cannot be guessed or enumerated.</summary>
    public required string QrKey { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The stored status; <see cref="StatusAt"/> also reads expiry from the clock.</summary>
    public AuthorizationStatus Status { get; init; }

    public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>
    /// The phone that called, as matched: <see cref="UserPhone"/>, or in identify mode the first caller.
    /// </summary>
    public E164Phone? ConfirmedPhone { get; init; }

    /// <summary>The webhook URL of the POST variant, or null.</summary>
    public string? Webhook { get; init; }

    public bool NotifyExpired { get; init; }

    /// <summary>Masked caller of a call to this number from another phone while it was pending.</summary>
    public string? OtherCaller { get; init; }

    /// <summary>Identify mode: no phone was given, the first usable caller ID of the number is the answer.</summary>
    public bool IsIdentify => UserPhone is null;

    public AuthorizationStatus StatusAt(DateTimeOffset now) =>
        Status == AuthorizationStatus.Pending && now >= ExpiresAt ? AuthorizationStatus.Expired : Status;

    public bool IsLiveAt(DateTimeOffset now) => StatusAt(now) == AuthorizationStatus.Pending;

    /// <summary>When the authorization stopped being pending (confirmation or expiry).</summary>
    public DateTimeOffset FinishedAt => ConfirmedAt ?? ExpiresAt;
}
