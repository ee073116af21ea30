using Backcall.Sip.Message;

namespace Backcall.Sip.Parsing;

/// <summary>
/// Second parsing pass: parses the structured headers the stack uses into the message's typed
/// properties and checks the RFC 3261 rules whose violation RFC 4475 §3.1.2 says must be refused.
/// Headers it does not need (Subject, unknown extensions, ...) are kept as raw text and not judged.
/// </summary>
internal static class SipHeaderValidator
{
    private static readonly string[] SingleValued =
    [
        SipHeaderNames.From,
        SipHeaderNames.To,
        SipHeaderNames.CallId,
        SipHeaderNames.CSeq,
        SipHeaderNames.MaxForwards,
        SipHeaderNames.ContentType,
    ];

    public static void Validate(SipMessage message, ErrorSink errors)
    {
        ParseVias(message, errors);

        foreach (var name in SingleValued)
        {
            if (message.CountHeaders(name) > 1)
            {
                errors.Record(SipParseError.DuplicateHeader, $"more than one {name} header");
            }
        }

        message.From = ParseAddress(message, SipHeaderNames.From, errors);
        message.To = ParseAddress(message, SipHeaderNames.To, errors);
        ParseCallId(message, errors);
        ParseCSeq(message, errors);
        ParseMaxForwards(message, errors);
        ValidateAddressLists(message, SipHeaderNames.Contact, allowWildcard: true, errors);
        ValidateAddressLists(message, SipHeaderNames.Route, allowWildcard: false, errors);
        ValidateAddressLists(message, SipHeaderNames.RecordRoute, allowWildcard: false, errors);
        ValidateDate(message, errors);

        if (message is SipRequest request && message.CSeq is { } cseq && request.Method.Length > 0
            && !string.Equals(cseq.Method, request.Method, StringComparison.Ordinal))
        {
            // RFC 4475 §3.1.2.17-18.
            errors.Record(SipParseError.MethodMismatch, "CSeq method does not match the Request-Line method");
        }
    }

    private static void ParseVias(SipMessage message, ErrorSink errors)
    {
        var elements = new List<string>();
        foreach (var value in message.GetHeaders(SipHeaderNames.Via))
        {
            HeaderValueSplitter.Split(value, elements);
        }

        if (elements.Count == 0)
        {
            errors.Record(SipParseError.MissingHeader, "missing Via");
            return;
        }

        for (var i = 0; i < elements.Count; i++)
        {
            if (ViaParser.TryParse(elements[i], out var via, out var error))
            {
                message.Vias.Add(via);
                continue;
            }

            errors.Record(SipParseError.MalformedVia, error);
            if (i == 0 && ViaParser.TryParseForRouting(elements[0], out var routable))
            {
                message.Vias.Add(routable);
            }

            // Without a reliable top Via the rest cannot be trusted either.
            return;
        }

        message.ViasIntact = true;
    }

    private static SipNameAddress? ParseAddress(SipMessage message, string name, ErrorSink errors)
    {
        var value = message.GetHeader(name);
        if (value is null)
        {
            errors.Record(SipParseError.MissingHeader, $"missing {name}");
            return null;
        }

        if (!NameAddressParser.TryParse(value, allowWildcard: false, out var address, out var error))
        {
            errors.Record(SipParseError.MalformedAddress, $"{name}: {error}");
            return null;
        }

        return address;
    }

    private static void ValidateAddressLists(SipMessage message, string name, bool allowWildcard, ErrorSink errors)
    {
        List<string>? elements = null;
        foreach (var value in message.GetHeaders(name))
        {
            elements ??= [];
            elements.Clear();
            HeaderValueSplitter.Split(value, elements);
            foreach (var element in elements)
            {
                if (!NameAddressParser.TryParse(element, allowWildcard, out _, out var error))
                {
                    errors.Record(SipParseError.MalformedAddress, $"{name}: {error}");
                    return;
                }
            }
        }
    }

    private static void ParseCallId(SipMessage message, ErrorSink errors)
    {
        var value = message.GetHeader(SipHeaderNames.CallId);
        if (value is null)
        {
            errors.Record(SipParseError.MissingHeader, "missing Call-ID");
            return;
        }

        // callid = word [ "@" word ]
        var text = value.AsSpan();
        var at = text.IndexOf('@');
        var left = at < 0 ? text : text[..at];
        var right = at < 0 ? "a" : text[(at + 1)..];
        if (left.IsEmpty
            || right.IsEmpty
            || left.ContainsAnyExcept(SipGrammar.Word)
            || right.ContainsAnyExcept(SipGrammar.Word))
        {
            errors.Record(SipParseError.MalformedCallId, "Call-ID is not word[@word]");
            return;
        }

        message.CallId = value;
    }

    private static void ParseCSeq(SipMessage message, ErrorSink errors)
    {
        var value = message.GetHeader(SipHeaderNames.CSeq);
        if (value is null)
        {
            errors.Record(SipParseError.MissingHeader, "missing CSeq");
            return;
        }

        var reader = new SipTextReader(value);
        var digits = reader.ReadWhile(SipGrammar.Digits);
        var hadSpace = reader.SkipWhitespace();
        var method = reader.ReadToken();
        reader.SkipWhitespace();

        // RFC 3261 §8.1.1.5: the sequence number must fit in 32 bits (RFC 4475 §3.1.2.4-5).
        if (digits.IsEmpty
            || !hadSpace
            || method.IsEmpty
            || !reader.End
            || !ulong.TryParse(digits, out var number)
            || number > uint.MaxValue)
        {
            errors.Record(SipParseError.MalformedCSeq, "CSeq must be a 32-bit number and a method");
            return;
        }

        // A request's CSeq names its own method: the Request-Line's string serves both.
        var methodText = message is SipRequest request && method.SequenceEqual(request.Method)
            ? request.Method
            : method.ToString();
        message.CSeq = new SipCSeq((uint)number, methodText);
    }

    private static void ParseMaxForwards(SipMessage message, ErrorSink errors)
    {
        var value = message.GetHeader(SipHeaderNames.MaxForwards);
        if (value is null)
        {
            return; // optional for RFC 2543 peers (RFC 4475 §3.4.1)
        }

        if (!SipGrammar.IsDigits(value) || value.Length > 10 || long.Parse(value) > 255)
        {
            errors.Record(SipParseError.MalformedMaxForwards, "Max-Forwards must be 0-255");
            return;
        }

        message.MaxForwards = int.Parse(value);
    }

    private static void ValidateDate(SipMessage message, ErrorSink errors)
    {
        // SIP-date is rfc1123-date and RFC 3261 §20.17 only allows "GMT" (RFC 4475 §3.1.2.12).
        var value = message.GetHeader(SipHeaderNames.Date);
        if (value is not null && !value.EndsWith(" GMT", StringComparison.Ordinal))
        {
            errors.Record(SipParseError.MalformedDate, "Date must be in GMT");
        }
    }
}
