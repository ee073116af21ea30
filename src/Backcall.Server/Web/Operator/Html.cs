using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// Builds the console's HTML. Every value goes through <see cref="E"/>; markup is only ever written from
/// constants here and in the pages, never from input.
/// </summary>
internal static class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string E(string? value) => Encoder.Encode(value ?? "");

    public static string E(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string E(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A time in UTC, compact; the full value in the title.</summary>
    public static string Time(DateTimeOffset? value) => value is { } t
        ? $"<time datetime=\"{E(t.ToString("O", CultureInfo.InvariantCulture))}\">{E(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}</time>"
        : "<span class=\"muted\">—</span>";

    public static string Badge(string text, string kind) => $"<span class=\"badge badge-{E(kind)}\">{E(text)}</span>";

    public static string Link(string href, string text) => $"<a href=\"{E(href)}\">{E(text)}</a>";

    /// <summary>A URL with query parameters, skipping empty ones.</summary>
    public static string Url(string path, params (string Key, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value!)).ToArray();
        return parts.Length == 0 ? path : path + "?" + string.Join('&', parts);
    }

    /// <summary>A table; cells are HTML already (encode values with <see cref="E"/>).</summary>
    public static string Table(string id, string[] headers, IEnumerable<string[]> rows, string empty = "Nothing here yet.")
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"table-wrap\"><table id=\"").Append(E(id)).Append("\"><thead><tr>");
        foreach (var h in headers)
        {
            sb.Append("<th>").Append(E(h)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            sb.Append("<tr>");
            foreach (var cell in row)
            {
                sb.Append("<td>").Append(cell).Append("</td>");
            }

            sb.Append("</tr>");
        }

        if (!any)
        {
            sb.Append("<tr><td colspan=\"").Append(headers.Length).Append("\" class=\"muted\">").Append(E(empty)).Append("</td></tr>");
        }

        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }
}
