namespace Backcall.Core.Phones;

/// <summary>A phone number in E.164 form, with its leading '+' (for example <c>+79001234567</c>).</summary>
public readonly record struct E164Phone
{
    public E164Phone(string value)
    {
        if (value is null || value.Length < 4 || value[0] != '+' || value.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException($"'{value}' is not an E.164 number (+ and digits).", nameof(value));
        }

        Value = value;
    }

    private E164Phone(string value, bool _) => Value = value;

    public string Value { get; } = "";

    /// <summary>A value that was an <see cref="E164Phone"/> already (kept as its string by a compact record).</summary>
    internal static E164Phone Checked(string value) => new(value, true);

    /// <summary>Digits without '+': the contract's <c>auth_phone</c> form (<c>79644115786</c>).</summary>
    public string InternationalDigits => Value[1..];

    /// <summary>
    /// The contract's confirmed <c>phone</c> form: Russian numbers as 11 national digits starting with 8
    /// (<c>89243555100</c>), every other country as E.164 digits without '+'.
    /// </summary>
    public string ContractPhone => Value.Length == 12 && Value.StartsWith("+7", StringComparison.Ordinal)
        ? "8" + Value[2..]
        : Value[1..];

    public override string ToString() => Value ?? "";
}
