namespace Backcall.Server.Logging;

/// <summary>Removes the API token from request paths before anything logs them.</summary>
public static class PathRedaction
{
    private const string ContractPrefix = "/api/v1/authcalls/";
    public const string Placeholder = "{token}";

    /// <summary><c>/api/v1/authcalls/SECRET/get_balance/</c> → <c>/api/v1/authcalls/{token}/get_balance/</c>.</summary>
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
}
