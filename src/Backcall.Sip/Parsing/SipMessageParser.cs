using System.Text;
using Backcall.Sip.Message;

namespace Backcall.Sip.Parsing;

/// <summary>
/// Standalone, allocation-light SIP message parser over a byte span (one UDP datagram or one frame cut
/// by <see cref="Framing.SipFrameScanner"/>). It first tokenises start line, unfolded header lines and
/// body, then parses and validates the header fields the stack relies on. Validation failures are
/// reported with the partially parsed message so the caller can still route a 400 (RFC 3261 §21.4.1).
/// It never throws on input.
/// </summary>
internal static class SipMessageParser
{
    public const int DefaultMaxMessageSize = 64 * 1024;

    public static SipParseResult Parse(ReadOnlySpan<byte> data, int maxMessageSize = DefaultMaxMessageSize)
    {
        if (data.Length > maxMessageSize)
        {
            return SipParseResult.Fail(
                SipParseError.TooLarge,
                $"message of {data.Length} bytes exceeds {maxMessageSize}");
        }

        // RFC 3261 §7.5: CRLFs before the start line are ignored.
        var first = data.IndexOfAnyExcept((byte)'\r', (byte)'\n');
        if (first < 0)
        {
            return SipParseResult.Fail(SipParseError.Empty, "no message");
        }

        data = data[first..];
        var pos = 0;
        ReadLine(data, ref pos, out var startLineBytes, out _);
        var errors = new ErrorSink();
        var message = ParseStartLine(startLineBytes, errors);

        var headersEnded = ReadHeaders(data, ref pos, message, errors);
        ReadBody(data, headersEnded ? pos : data.Length, message, errors);
        SipHeaderValidator.Validate(message, errors);
        return errors.Error == SipParseError.None
            ? new SipParseResult(message, SipParseError.None, "")
            : SipParseResult.Fail(errors.Error, errors.Detail, message);
    }

    private static SipMessage ParseStartLine(ReadOnlySpan<byte> line, ErrorSink errors)
    {
        if (line.Length >= 4 && Ascii.EqualsIgnoreCase(line[..4], "SIP/"u8))
        {
            return ParseStatusLine(Encoding.Latin1.GetString(line), errors);
        }

        // Request-Line = Method SP Request-URI SP SIP-Version: exactly single spaces, nothing trailing
        // (RFC 4475 §3.1.2.7-3.1.2.10 make each deviation a 400). The three parts are cut from the bytes:
        // the method and version are the constants every trunk sends, so only the URI becomes a string.
        var sp1 = line.IndexOf((byte)' ');
        var methodBytes = sp1 < 0 ? line : line[..sp1];
        var rest = sp1 < 0 ? [] : line[(sp1 + 1)..];
        var sp2 = rest.IndexOf((byte)' ');
        var uriBytes = sp2 < 0 ? rest : rest[..sp2];
        var versionBytes = sp2 < 0 ? [] : rest[(sp2 + 1)..];
        var method = SipMethods.FromBytes(methodBytes);
        if (!SipGrammar.IsToken(method))
        {
            errors.Record(SipParseError.MalformedStartLine, "invalid method token");
            method = "";
        }

        var uri = Encoding.Latin1.GetString(uriBytes);
        var version = versionBytes.SequenceEqual("SIP/2.0"u8)
            ? SipMessage.Version2
            : Encoding.Latin1.GetString(versionBytes);
        var request = new SipRequest { Method = method, RawRequestUri = uri, Version = version };
        if (sp1 < 0 || sp2 < 0 || uri.Length == 0 || version.Length == 0 || versionBytes.Contains((byte)' ')
            || line.Contains((byte)'\t'))
        {
            errors.Record(
                SipParseError.MalformedStartLine,
                "Request-Line must be 'Method SP Request-URI SP SIP-Version'");
            return request;
        }

        CheckVersion(version, errors);
        if (!SipUriParser.TryParse(uri, out var requestUri, out var uriError))
        {
            errors.Record(SipParseError.MalformedRequestUri, "Request-URI: " + uriError);
        }
        else if (requestUri.IsSip && requestUri.Headers is not null)
        {
            // RFC 3261 §19.1.5 / RFC 4475 §3.1.2.11: headers are not allowed in a Request-URI.
            errors.Record(SipParseError.MalformedRequestUri, "Request-URI must not contain headers");
        }
        else
        {
            request.RequestUri = requestUri;
        }

        return request;
    }

    private static SipResponse ParseStatusLine(string line, ErrorSink errors)
    {
        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
        var sp1 = line.IndexOf(' ');
        var version = sp1 < 0 ? line : line[..sp1];
        var rest = sp1 < 0 ? "" : line[(sp1 + 1)..];
        var sp2 = rest.IndexOf(' ');
        var codeText = sp2 < 0 ? rest : rest[..sp2];
        var reason = sp2 < 0 ? "" : rest[(sp2 + 1)..];
        CheckVersion(version, errors);
        var code = 0;
        if (codeText.Length != 3 || !SipGrammar.IsDigits(codeText) || (code = int.Parse(codeText)) < 100)
        {
            // RFC 4475 §3.1.2.19: an overlarge status code is a malformed response.
            errors.Record(SipParseError.MalformedStartLine, "Status-Code must be three digits 100-699");
        }

        return new SipResponse { StatusCode = code, ReasonPhrase = reason };
    }

    private static void CheckVersion(string version, ErrorSink errors)
    {
        if (string.Equals(version, SipMessage.Version2, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var isVersionShaped =
            version.Length > 4
            && version.StartsWith("SIP/", StringComparison.OrdinalIgnoreCase)
            && version[4..].Split('.') is [var major, var minor]
            && SipGrammar.IsDigits(major)
            && SipGrammar.IsDigits(minor);
        errors.Record(
            isVersionShaped ? SipParseError.UnsupportedVersion : SipParseError.MalformedStartLine,
            $"unsupported SIP-Version '{version}'");
    }

    /// <summary>Reads header lines up to the blank line, unfolding continuation lines into one SP.</summary>
    private static bool ReadHeaders(ReadOnlySpan<byte> data, ref int pos, SipMessage message, ErrorSink errors)
    {
        var pending = new PendingHeader();
        while (pos < data.Length)
        {
            ReadLine(data, ref pos, out var line, out var terminated);
            if (line.IsEmpty)
            {
                pending.Flush(message);
                return terminated;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                // RFC 3261 §7.3.1: a line starting with whitespace continues the previous header (LWS).
                if (!pending.IsOpen)
                {
                    errors.Record(SipParseError.MalformedHeader, "continuation line before any header");
                    continue;
                }

                pending.Continue(line.Trim(" \t"u8));
                continue;
            }

            pending.Flush(message);
            var colon = line.IndexOf((byte)':');
            var name = colon < 0 ? null : HeaderName(line[..colon].TrimEnd(" \t"u8));
            if (name is null)
            {
                errors.Record(SipParseError.MalformedHeader, "header line without a valid 'name:'");
                continue;
            }

            pending.Open(name, line[(colon + 1)..].Trim(" \t"u8));
        }

        // A datagram may end without the blank line; take what we have rather than refusing it.
        pending.Flush(message);
        return false;
    }

    /// <summary>
    /// The canonical name of a header line, or null when it is not a token. A known name is the shared
    /// constant, looked up from the stack, so only names we do not know become strings.
    /// </summary>
    private static string? HeaderName(ReadOnlySpan<byte> bytes)
    {
        const int MaxOnStack = 64;
        if (bytes.Length > MaxOnStack)
        {
            var text = Encoding.Latin1.GetString(bytes);
            return SipGrammar.IsToken(text) ? SipHeaderNames.Canonicalize(text) : null;
        }

        Span<char> chars = stackalloc char[MaxOnStack];
        chars = chars[..Encoding.Latin1.GetChars(bytes, chars)];
        return SipGrammar.IsToken(chars) ? SipHeaderNames.Canonicalize(chars) : null;
    }

    private static void ReadBody(ReadOnlySpan<byte> data, int bodyStart, SipMessage message, ErrorSink errors)
    {
        var available = data.Length - bodyStart;
        int? declared = null;
        foreach (var raw in message.GetHeaders(SipHeaderNames.ContentLength))
        {
            var text = raw.AsSpan().Trim(" \t");
            if (!SipGrammar.IsDigits(text) || !int.TryParse(text, out var length))
            {
                errors.Record(SipParseError.MalformedContentLength, "Content-Length is not a non-negative integer");
                return;
            }

            if (declared is { } previous && previous != length)
            {
                // RFC 4475 §3.3.9: conflicting lengths leave no way to find the body.
                errors.Record(SipParseError.DuplicateHeader, "conflicting Content-Length values");
                return;
            }

            declared = length;
        }

        message.ContentLength = declared;
        if (declared is { } cl)
        {
            if (cl > available)
            {
                errors.Record(
                    SipParseError.TruncatedBody,
                    $"Content-Length {cl} exceeds the {available} body bytes received");
                message.Body = data[bodyStart..].ToArray();
                return;
            }

            // Extra bytes after Content-Length are ignored (RFC 3261 §18.3, RFC 4475 §3.1.1.8).
            message.Body = data.Slice(bodyStart, cl).ToArray();
        }
        else
        {
            message.Body = data[bodyStart..].ToArray();
        }
    }

    /// <summary>Reads one line ending in LF (CRLF or, leniently, bare LF); the terminator is not returned.</summary>
    private static void ReadLine(ReadOnlySpan<byte> data, ref int pos, out ReadOnlySpan<byte> line, out bool terminated)
    {
        var rest = data[pos..];
        var lf = rest.IndexOf((byte)'\n');
        terminated = lf >= 0;
        line = terminated ? rest[..lf] : rest;
        pos += terminated ? lf + 1 : rest.Length;
        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }
    }
}

/// <summary>
/// The header line being read. Its value is one string made from the bytes; a builder is used only when
/// a continuation line (folding, rare on the wire) extends it.
/// </summary>
internal struct PendingHeader
{
    private string? _name;
    private string _value;
    private StringBuilder? _folded;

    public readonly bool IsOpen => _name is not null;

    public void Open(string name, ReadOnlySpan<byte> value)
    {
        _name = name;
        _value = Encoding.Latin1.GetString(value);
    }

    public void Continue(ReadOnlySpan<byte> more)
    {
        _folded ??= new StringBuilder();
        if (_folded.Length == 0)
        {
            _folded.Append(_value);
        }

        _folded.Append(' ');
        foreach (var b in more)
        {
            _folded.Append((char)b); // Latin-1: one char per byte, as every other value
        }
    }

    public void Flush(SipMessage message)
    {
        if (_name is null)
        {
            return;
        }

        var value = _folded is { Length: > 0 } ? _folded.ToString() : _value;
        message.Headers.Add(new SipHeader(_name, value));
        _name = null;
        _folded?.Clear();
    }
}

/// <summary>Keeps the first error found; later ones are usually consequences of it.</summary>
internal sealed class ErrorSink
{
    public SipParseError Error { get; private set; }

    public string Detail { get; private set; } = "";

    public void Record(SipParseError error, string detail)
    {
        if (Error == SipParseError.None)
        {
            Error = error;
            Detail = detail;
        }
    }
}
