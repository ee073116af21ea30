namespace Backcall.Sip.Parsing;

/// <summary>
/// Forward-only cursor over one (unfolded) header value. Folding has already been turned into
/// spaces by the message parser, so LWS/SWS reduce to runs of SP and HTAB here.
/// </summary>
internal ref struct SipTextReader(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;
    private int _pos;

    public readonly bool End => _pos >= _text.Length;

    public readonly int Position => _pos;

    public readonly char Peek => _pos < _text.Length ? _text[_pos] : '\0';

    public readonly ReadOnlySpan<char> Rest => _text[_pos..];

    /// <summary>Skips SWS; returns true if anything was skipped (i.e. there was LWS).</summary>
    public bool SkipWhitespace()
    {
        var start = _pos;
        while (_pos < _text.Length && SipGrammar.IsWhitespace(_text[_pos]))
        {
            _pos++;
        }

        return _pos > start;
    }

    public bool TryConsume(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }

        return false;
    }

    public void Advance(int count) => _pos += count;

    /// <summary>Reads a run of chars from <paramref name="allowed"/>; empty when none.</summary>
    public ReadOnlySpan<char> ReadWhile(System.Buffers.SearchValues<char> allowed)
    {
        var rest = _text[_pos..];
        var len = rest.IndexOfAnyExcept(allowed);
        if (len < 0)
        {
            len = rest.Length;
        }

        _pos += len;
        return rest[..len];
    }

    public ReadOnlySpan<char> ReadToken() => ReadWhile(SipGrammar.Token);

    /// <summary>
    /// Reads a quoted-string starting at the current DQUOTE and returns its content with quoted-pairs
    /// resolved. Fails on an unterminated string or on raw control characters (only quoted-pair may carry them).
    /// </summary>
    public bool TryReadQuotedString(out string value)
    {
        value = "";
        if (!TryConsume('"'))
        {
            return false;
        }

        // Most quoted strings (display names) hold no quoted-pair: then the value is the text up to the quote.
        var rest = _text[_pos..];
        var end = rest.IndexOfAny('"', '\\');
        if (end >= 0 && rest[end] == '"' && IsQdText(rest[..end]))
        {
            value = rest[..end].ToString();
            _pos += end + 1;
            return true;
        }

        var sb = new System.Text.StringBuilder();
        while (_pos < _text.Length)
        {
            var c = _text[_pos++];
            if (c == '"')
            {
                value = sb.ToString();
                return true;
            }

            if (c == '\\')
            {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                if (_pos >= _text.Length || _text[_pos] is '\r' or '\n' || _text[_pos] > '\x7f')
                {
                    return false;
                }

                sb.Append(_text[_pos++]);
                continue;
            }

            if (!IsQdText(c))
            {
                return false;
            }

            sb.Append(c);
        }

        return false;
    }

    // qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII (Latin-1 chars >= 0x80 here).
    private static bool IsQdText(char c) => (c >= ' ' || c == '\t') && c != '\x7f';

    private static bool IsQdText(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!IsQdText(c))
            {
                return false;
            }
        }

        return true;
    }
}
