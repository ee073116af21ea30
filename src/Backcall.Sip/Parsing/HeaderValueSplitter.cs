namespace Backcall.Sip.Parsing;

/// <summary>
/// Splits a comma-separated header value (RFC 3261 §7.3.1) into elements, ignoring commas inside
/// quoted strings and inside angle brackets (URIs may legally contain commas there).
/// </summary>
internal static class HeaderValueSplitter
{
    public static void Split(string value, List<string> into)
    {
        var span = value.AsSpan();
        var start = 0;
        var inQuotes = false;
        var inAngle = false;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (inQuotes)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inQuotes = true;
                    break;
                case '<':
                    inAngle = true;
                    break;
                case '>':
                    inAngle = false;
                    break;
                case ',' when !inAngle:
                    into.Add(span[start..i].Trim(" \t").ToString());
                    start = i + 1;
                    break;
            }
        }

        // One element that needs no trimming is the value itself (the common case: one Via, one Contact).
        var last = span[start..].Trim(" \t");
        into.Add(last.Length == value.Length ? value : last.ToString());
    }
}
