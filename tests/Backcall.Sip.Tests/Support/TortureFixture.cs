using System.Text;

namespace Backcall.Sip.Tests.Support;

/// <summary>
/// Loads a typed RFC 4475 message: text lines are joined with CRLF (the RFC's line ending) and
/// <c>&lt;hex&gt;..&lt;/hex&gt;</c> spans become raw bytes, as in RFC 4475 §2.2.
/// </summary>
internal static class TortureFixture
{
    public static byte[] Load(string kind, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Torture", kind, name + ".sip");
        var text = File.ReadAllText(path, Encoding.UTF8);
        return Expand(text);
    }

    public static byte[] Expand(string text)
    {
        var output = new List<byte>();
        var rest = text.AsSpan();
        while (true)
        {
            var open = rest.IndexOf("<hex>", StringComparison.Ordinal);
            var literal = open < 0 ? rest : rest[..open];
            output.AddRange(Encoding.UTF8.GetBytes(literal.ToString().Replace("\n", "\r\n", StringComparison.Ordinal)));
            if (open < 0)
            {
                return [.. output];
            }

            rest = rest[(open + 5)..];
            var close = rest.IndexOf("</hex>", StringComparison.Ordinal);
            output.AddRange(Convert.FromHexString(rest[..close]));
            rest = rest[(close + 6)..];
        }
    }

    public static IEnumerable<object[]> Names(string kind) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Torture", kind), "*.sip")
            .Select(p => new object[] { Path.GetFileNameWithoutExtension(p) })
            .OrderBy(o => (string)o[0], StringComparer.Ordinal);
}
