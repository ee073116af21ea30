using Backcall.Core.Phones;

namespace Backcall.Core.Authorizations;

/// <summary>One request to verify a phone: the user's phone, the pool number handed out, and what came of it.</summary>
/// <remarks>
/// The index holds every live one, so its fields are compact: phones as their strings, times as UTC ticks (each
/// <see cref="DateTimeOffset"/> is 16 bytes, a nullable one 24), the QR key as its bytes. 128 bytes and no key
/// string instead of 160 and a string of 72; the record's equality compares these fields, which is the same as
/// comparing the properties.
/// </remarks>
public sealed record Authorization
{
    private readonly string? _userPhone;
    private readonly string _authNumber = "";
    private readonly long _createdAt;
    private readonly long _expiresAt;
    private readonly long _confirmedAt;
    private readonly string? _confirmedPhone;

    // A key as the server makes it is kept as its 16 bytes (a 22-character string is 72 bytes); any other as given.
    private readonly UInt128 _qrKey;
    private readonly string? _qrKeyText;

    public required long Id { get; init; }

    public required long TokenId { get; init; }

    /// <summary>
    /// The phone that is to call, or null in identify mode: the app asked for no phone, the number is held for this
    /// authorization alone, and whichever phone calls it first is the answer (<see cref="ConfirmedPhone"/>).
    /// </summary>
    public required E164Phone? UserPhone
    {
        get => _userPhone is null ? null : E164Phone.Checked(_userPhone);
        init => _userPhone = value?.Value;
    }

    public required E164Phone AuthNumber
    {
        get => E164Phone.Checked(_authNumber);
        init => _authNumber = value.Value;
    }

    /// <summary>Random key of the QR image URL; unlike the id it cannot be guessed or enumerated.</summary>
    public required string QrKey
    {
        get => _qrKeyText ?? CompactKey.Format(_qrKey);
        init => _qrKeyText = CompactKey.TryParse(value, out _qrKey) ? null : value;
    }

    /// <summary>The QR key's 16 bytes, when it is in the form the server makes (then the index keys by them).</summary>
    internal bool TryGetCompactQrKey(out UInt128 key)
    {
        key = _qrKey;
        return _qrKeyText is null;
    }

    public required DateTimeOffset CreatedAt
    {
        get => new(_createdAt, TimeSpan.Zero);
        init => _createdAt = value.UtcTicks;
    }

    public required DateTimeOffset ExpiresAt
    {
        get => new(_expiresAt, TimeSpan.Zero);
        init => _expiresAt = value.UtcTicks;
    }

    /// <summary>The stored status; <see cref="StatusAt"/> also reads expiry from the clock.</summary>
    public AuthorizationStatus Status { get; init; }

    /// <summary>When the call confirmed it, or null (kept as 0 ticks, a time no call has).</summary>
    public DateTimeOffset? ConfirmedAt
    {
        get => _confirmedAt == 0 ? null : new DateTimeOffset(_confirmedAt, TimeSpan.Zero);
        init => _confirmedAt = value?.UtcTicks ?? 0;
    }

    /// <summary>
    /// The phone that called, as matched: <see cref="UserPhone"/>, or in identify mode the first caller.
    /// </summary>
    public E164Phone? ConfirmedPhone
    {
        get => _confirmedPhone is null ? null : E164Phone.Checked(_confirmedPhone);
        init => _confirmedPhone = value?.Value;
    }

    /// <summary>The webhook URL of the POST variant, or null.</summary>
    public string? Webhook { get; init; }

    public bool NotifyExpired { get; init; }

    /// <summary>
    /// Whether its expiry is announced by a webhook (<see cref="ExpiryService.Decide"/>): only then can a
    /// notice be waiting that a late confirmation must take back.
    /// </summary>
    public bool NotifiesExpiry => NotifyExpired && Webhook is not null;

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
