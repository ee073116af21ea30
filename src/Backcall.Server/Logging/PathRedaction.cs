using System.Text.RegularExpressions;

namespace Backcall.Server.Logging;

/// <summary>Removes the API token from request paths before anything logs them.</summary>
public static partial class PathRedaction
{
    private const string ContractPrefix = "/api/v1/authcalls/";
    public const string Placeholder = "{token}";

    /// <summary>
    /// <c>/api/v1/authcalls/SECRET/get_balance/</c> → <c>/api/v1/authcalls/{token}/get_balance/</c>.
    /// </summary>
    public static string Redact(string path)
    {
        if (!path.StartsWith(ContractPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }

        var rest = path.AsSpan(ContractPrefix.Length);
        if (rest.StartsWith("get_qr_image", StringComparison.Ordinal))
        {
            return path;
        }

        var slash = rest.IndexOf('/');
        return slash < 0 ? ContractPrefix + Placeholder : string.Concat(ContractPrefix, Placeholder, rest[slash..]);
    }

    /// <summary>Cheap test before the regular expression: does the text hold a contract API path at all?</summary>
    public static bool ContainsContractPath(string? text) =>
        text is not null && text.Contains(ContractPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every contract API path inside a text (a URL, a log message) with its token segment replaced.</summary>
    public static string RedactText(string text) =>
        ContainsContractPath(text) ? TokenSegment().Replace(text, Placeholder) : text;

    // The segment after /api/v1/authcalls/ up to the next delimiter, unless it is the QR image action.
    [GeneratedRegex(@"(?<=/api/v1/authcalls/)(?!get_qr_image(?:[/?#\s""']|$))[^/?#\s""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex TokenSegment();
}
