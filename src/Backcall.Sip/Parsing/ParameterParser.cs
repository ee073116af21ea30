using Backcall.Sip.Message;

namespace Backcall.Sip.Parsing;

/// <summary>
/// Parses <c>*( SEMI generic-param )</c> as it follows a Via or a name-addr:
/// <c>generic-param = token [ EQUAL gen-value ]</c>, <c>gen-value = token / host / quoted-string</c>.
/// </summary>
internal static class ParameterParser
{
    /// <summary>Consumes parameters up to the end of the reader; fails on an empty name or stray text.</summary>
    public static bool TryParse(ref SipTextReader reader, SipParameters into, out string error)
    {
        error = "";
        while (true)
        {
            reader.SkipWhitespace();
            if (reader.End)
            {
                return true;
            }

            if (!reader.TryConsume(';'))
            {
                error = $"unexpected '{reader.Peek}' where ';' was expected";
                return false;
            }

            reader.SkipWhitespace();
            var name = reader.ReadToken();
            if (name.IsEmpty)
            {
                error = "empty parameter name";
                return false;
            }

            var nameText = name.ToString();
            reader.SkipWhitespace();
            if (!reader.TryConsume('='))
            {
                into.Add(nameText, null);
                continue;
            }

            reader.SkipWhitespace();
            if (reader.Peek == '"')
            {
                if (!reader.TryReadQuotedString(out var quoted))
                {
                    error = $"unterminated quoted value for parameter '{nameText}'";
                    return false;
                }

                into.Add(nameText, "\"" + quoted.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"");
                continue;
            }

            var value = reader.ReadWhile(SipGrammar.GenValueChars);
            if (value.IsEmpty)
            {
                error = $"empty value for parameter '{nameText}'";
                return false;
            }

            into.Add(nameText, value.ToString());
        }
    }
}
