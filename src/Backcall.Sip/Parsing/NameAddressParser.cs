using Backcall.Sip.Message;

namespace Backcall.Sip.Parsing;

/// <summary>
/// Parses one <c>( name-addr / addr-spec ) *( SEMI param )</c> element (RFC 3261 §20.10, §25.1).
/// Strictness follows RFC 4475: no LWS inside the angle brackets (§3.1.2.14), display names are a
/// quoted-string or tokens (§3.1.2.15), quotes must balance (§3.1.2.6), and an addr-spec outside
/// brackets may not carry URI headers (§3.1.2.13).
/// </summary>
internal static class NameAddressParser
{
    public static bool TryParse(string value, bool allowWildcard, out SipNameAddress address, out string error)
    {
        address = null!;
        var reader = new SipTextReader(value);
        reader.SkipWhitespace();

        if (allowWildcard && reader.Rest.Trim(" \t") is "*")
        {
            address = new SipNameAddress { Uri = null };
            error = "";
            return true;
        }

        string? display = null;
        SipUri? uri;
        if (reader.Peek == '"')
        {
            if (!reader.TryReadQuotedString(out var quoted))
            {
                error = "unterminated quoted display name";
                return false;
            }

            display = quoted;
            reader.SkipWhitespace();
            if (reader.Peek != '<')
            {
                error = "quoted display name not followed by <URI>";
                return false;
            }
        }
        else
        {
            var angle = reader.Rest.IndexOf('<');
            if (angle > 0)
            {
                // display-name = *(token LWS): every word must be a token.
                var words = reader.Rest[..angle].Trim(" \t");
                foreach (var range in words.SplitAny(' ', '\t'))
                {
                    var word = words[range];
                    if (!word.IsEmpty && !SipGrammar.IsToken(word))
                    {
                        error = "display name contains non-token characters (quote it)";
                        return false;
                    }
                }

                display = words.IsEmpty ? null : words.ToString();
                reader.Advance(angle);
            }
        }

        if (reader.TryConsume('<'))
        {
            var close = reader.Rest.IndexOf('>');
            if (close < 0)
            {
                error = "missing '>'";
                return false;
            }

            var inner = reader.Rest[..close];
            if (inner.IsEmpty || SipGrammar.IsWhitespace(inner[0]) || SipGrammar.IsWhitespace(inner[^1]))
            {
                error = "whitespace inside <URI>";
                return false;
            }

            if (!SipUriParser.TryParse(inner, out uri, out error))
            {
                return false;
            }

            reader.Advance(close + 1);
        }
        else
        {
            // addr-spec: the URI runs up to the first ';' (which starts header params, §20.10).
            var rest = reader.Rest;
            var semi = rest.IndexOf(';');
            var spec = (semi < 0 ? rest : rest[..semi]).TrimEnd(" \t");
            if (spec.ContainsAny('?', ','))
            {
                error = "addr-spec with '?' or ',' must be enclosed in <>";
                return false;
            }

            if (!SipUriParser.TryParse(spec, out uri, out error))
            {
                return false;
            }

            reader.Advance(semi < 0 ? rest.Length : semi);
        }

        var parameters = new SipParameters();
        if (!ParameterParser.TryParse(ref reader, parameters, out error))
        {
            return false;
        }

        address = new SipNameAddress { DisplayName = display, Uri = uri, Parameters = parameters };
        return true;
    }
}
