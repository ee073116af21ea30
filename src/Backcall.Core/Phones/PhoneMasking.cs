namespace Backcall.Core.Phones;

/// <summary>
/// Shortens a phone for places where the whole number would say too much (logs, hints to other apps).
/// </summary>
public static class PhoneMasking
{
    /// <summary>
    /// <c>+79001234567</c> → <c>+7•••••••4567</c>-style: country digit(s) and the last four kept.
    /// </summary>
    public static string Mask(string e164)
    {
        if (e164.Length <= 6)
        {
            return new string('*', e164.Length);
        }

        return string.Concat(e164.AsSpan(0, 2), new string('*', e164.Length - 6), e164.AsSpan(e164.Length - 4));
    }
}
