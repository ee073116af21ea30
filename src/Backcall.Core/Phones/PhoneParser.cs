using PhoneNumbers;

namespace Backcall.Core.Phones;

/// <summary>
/// Turns what users and SIP peers write into E.164, with libphonenumber doing the numbering-plan work.
/// </summary>
/// <remarks>
/// Accepted: <c>8XXXXXXXXXX</c>, <c>7XXXXXXXXXX</c>, <c>+7 (9XX) XXX-XX-XX</c>, <c>9XXXXXXXXX</c> (for the RU
/// default region) and any international <c>+E.164</c>, with spaces, dashes, dots and brackets as visual
/// separators. Letters are refused rather than read as vanity digits: a typo must not become someone
/// else's phone.
/// </remarks>
public sealed class PhoneParser
{
    public const string AcceptedForms =
        "8XXXXXXXXXX, 7XXXXXXXXXX, +7 (9XX) XXX-XX-XX, 9XXXXXXXXX or an international number +<country code><number>";

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public PhoneParser(string defaultRegion = "RU")
    {
        if (!Util.GetSupportedRegions().Contains(defaultRegion))
        {
            throw new ArgumentException(
                $"Unknown phone region '{defaultRegion}': use a two-letter ISO 3166 code such as RU.",
                nameof(defaultRegion));
        }

        DefaultRegion = defaultRegion;
        DefaultCountryCode = Util.GetCountryCodeForRegion(defaultRegion);
    }

    public string DefaultRegion { get; }

    public int DefaultCountryCode { get; }

    /// <summary>Parses a user's phone; only numbers libphonenumber holds valid are accepted.</summary>
    public bool TryNormalize(string? input, out E164Phone phone) =>
        TryNormalize(input, DefaultRegion, requireValid: true, out phone);

    /// <summary>
    /// Parses a number seen on the wire (a SIP URI user part, a pool number an operator typed) with the
    /// given region. <paramref name="requireValid"/> false accepts any possible number, because carriers
    /// use ranges libphonenumber may not know yet.
    /// </summary>
    public bool TryNormalize(string? input, string region, bool requireValid, out E164Phone phone)
    {
        phone = default;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 40)
        {
            return false;
        }

        Span<char> digits = stackalloc char[40];
        var count = 0;
        var plus = false;
        foreach (var c in input.AsSpan().Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
            else if (c == '+' && count == 0 && !plus)
            {
                plus = true;
            }
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '\u00A0'))
            {
                return false;
            }
        }

        if (count is < 3 or > 15)
        {
            return false;
        }

        var raw = new string(digits[..count]);
        if (plus)
        {
            return TryParseNormalized("+" + raw, region, requireValid, out phone);
        }

        // National forms first (8XXXXXXXXXX, 9XXXXXXXXX), then the same digits as international
        // without the '+' (7XXXXXXXXXX): the order matters where both readings are possible.
        return TryParseNormalized(raw, region, requireValid, out phone)
            || TryParseNormalized("+" + raw, region, requireValid, out phone);
    }

    private static bool TryParseNormalized(string text, string region, bool requireValid, out E164Phone phone)
    {
        phone = default;
        try
        {
            var number = Util.Parse(text, region);
            var ok = requireValid ? Util.IsValidNumber(number) : Util.IsPossibleNumber(number);
            if (!ok)
            {
                return false;
            }

            phone = new E164Phone(Util.Format(number, PhoneNumberFormat.E164));
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
