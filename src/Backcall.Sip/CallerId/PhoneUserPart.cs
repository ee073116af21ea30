using System.Text;
using Backcall.Sip.Message;

namespace Backcall.Sip.CallerId;

/// <summary>
/// Turns a URI's user part into the raw number handed to the application: %-decoded, URI/tel parameters
/// (";phone-context=...", ";isub=...") dropped, visual separators of RFC 3966 §5.1.1 removed.
/// No E.164 normalisation here: that needs libphonenumber and the trunk's region, which the application has.
/// </summary>
internal static class PhoneUserPart
{
    public static string? Clean(SipUri? uri)
    {
        if (uri is null || !(uri.IsSip || uri.IsTel) || string.IsNullOrEmpty(uri.User))
        {
            return null;
        }

        var user = uri.User;
        var semi = user.IndexOf(';');
        if (semi >= 0)
        {
            user = user[..semi];
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(user);
        }
        catch (UriFormatException)
        {
            decoded = user;
        }

        var sb = new StringBuilder(decoded.Length);
        foreach (var c in decoded)
        {
            if (c is '-' or '.' or '(' or ')' or ' ' || char.IsControl(c))
            {
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>
    /// A caller is anonymous when the URI is the RFC 3323 anonymous form (anonymous@anonymous.invalid),
    /// the user is "anonymous"/"unknown"/"restricted", or the user part carries no digit at all.
    /// </summary>
    public static string? UsableCaller(SipUri? uri)
    {
        if (uri is null || uri.Host.Equals("anonymous.invalid", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var cleaned = Clean(uri);
        if (string.IsNullOrEmpty(cleaned) || !cleaned.Any(char.IsAsciiDigit))
        {
            return null;
        }

        return cleaned;
    }
}
