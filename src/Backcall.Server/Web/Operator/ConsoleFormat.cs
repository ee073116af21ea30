using System.Globalization;

namespace Backcall.Server.Web.Operator;

/// <summary>How the console writes values: one time format (24-hour, UTC, saying so), amounts, links.</summary>
internal static class ConsoleFormat
{
    public static string Time(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Amount(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A URL with query parameters, skipping empty ones.</summary>
    public static string Url(string path, params (string Key, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrEmpty(q.Value))
            .Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value!))
            .ToArray();
        return parts.Length == 0 ? path : path + "?" + string.Join('&', parts);
    }
}
