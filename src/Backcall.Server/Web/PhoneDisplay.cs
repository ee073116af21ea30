using Backcall.Core.Phones;
using PhoneNumbers;

namespace Backcall.Server.Web;

/// <summary>Phones as people read them: <c>+7 964 000-00-01</c> rather than <c>+79640000001</c>.</summary>
public static class PhoneDisplay
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static string Format(E164Phone phone) => Format(phone.Value);

    public static string Format(string? e164)
    {
        if (string.IsNullOrEmpty(e164) || e164[0] != '+')
        {
            return e164 ?? "";
        }

        try
        {
            return Util.Format(Util.Parse(e164, null), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }
}
