using System.Globalization;
using System.Text;

namespace Backcall.Sip.Transactions;

/// <summary>
/// Finds the INVITE server transaction a datagram belongs to from its start line and top Via alone, before
/// the full parse. Every call brings an ACK for our final response, and a slow moment brings retransmitted
/// INVITEs: parsing each of them in full (every header as a string, URIs, validation) only to absorb it was
/// a third or more of what the stack allocated per call, and under overload the parsing of retransmissions
/// fed the very delay that caused them. The key is the one <see cref="TransactionKey"/> builds (RFC 3261
/// §17.2.3: branch, sent-by, method); anything this strict reading does not recognise (no RFC 3261 branch,
/// white space inside the Via, a folded line, another method) answers false and takes the full path.
/// </summary>
internal static class TransactionShortcut
{
    private const int MaxKeyLength = 512;
    private const int DefaultPort = 5060;

    /// <summary>
    /// Hands an ACK or a retransmitted INVITE to its live INVITE transaction, or absorbs it for a confirmed one; false
    /// when it is neither.
    /// </summary>
    public static bool TryHandle(ReadOnlySpan<byte> data, TransactionTable table)
    {
        bool ack;
        if (data.StartsWith("INVITE "u8))
        {
            ack = false;
        }
        else if (data.StartsWith("ACK "u8))
        {
            ack = true;
        }
        else
        {
            return false;
        }

        Span<char> key = stackalloc char[MaxKeyLength];
        if (!TryWriteInviteKey(data, key, out var length))
        {
            return false;
        }

        if (!table.TryGet(key[..length], out var transaction) || transaction is not InviteServerTransaction invite)
        {
            return table.IsConfirmed(key[..length]); // absorbed until Timer I ends
        }

        if (ack)
        {
            invite.OnAck();
        }
        else
        {
            invite.OnRetransmission();
        }

        return true;
    }

    /// <summary>
    /// Writes <c>branch|host:port|INVITE</c> of the message's top Via, as <see cref="TransactionKey.For"/> does.
    /// </summary>
    internal static bool TryWriteInviteKey(ReadOnlySpan<byte> data, Span<char> key, out int length)
    {
        length = 0;
        if (!TryFindTopVia(data, out var value))
        {
            return false;
        }

        // sent-protocol: SIP/2.0/UDP, then one or more spaces, then sent-by up to its parameters.
        var space = value.IndexOf((byte)' ');
        if (space <= 0 || value[..space].Count((byte)'/') != 2)
        {
            return false;
        }

        value = value[space..].TrimStart((byte)' ');
        var end = value.IndexOfAny(";, \t"u8);
        if (end <= 0 || value[end] != (byte)';')
        {
            return false;
        }

        var sentBy = value[..end];
        var parameters = value[(end + 1)..];
        var comma = parameters.IndexOf((byte)',');
        if (comma >= 0)
        {
            parameters = parameters[..comma];
        }

        if (!TryFindBranch(parameters, out var branch) || !TryWriteSentBy(sentBy, out var host, out var port))
        {
            return false;
        }

        var writer = new KeyWriter(key);
        if (!(writer.Append(branch) && writer.Append("|") && writer.AppendLower(host) && writer.Append(":")
            && writer.Append(port) && writer.Append("|INVITE")))
        {
            return false;
        }

        length = writer.Length;
        return true;
    }

    /// <summary>
    /// The value of the first Via header line (before any line folding); false if there is none or it is folded.
    /// </summary>
    private static bool TryFindTopVia(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> value)
    {
        value = default;
        var rest = data;
        var first = true;
        while (true)
        {
            var eol = rest.IndexOf("\r\n"u8);
            if (eol < 0)
            {
                return false;
            }

            var line = rest[..eol];
            rest = rest[(eol + 2)..];
            if (line.IsEmpty)
            {
                return false; // end of the headers: no Via
            }

            if (first)
            {
                first = false; // the start line
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (!Ascii.EqualsIgnoreCase(name, "via"u8) && !Ascii.EqualsIgnoreCase(name, "v"u8))
            {
                continue;
            }

            if (!rest.IsEmpty && (rest[0] == (byte)' ' || rest[0] == (byte)'\t'))
            {
                return false; // folded onto the next line: the full parser unfolds it
            }

            value = line[(colon + 1)..].Trim(" \t"u8);
            return true;
        }
    }

    private static bool TryFindBranch(ReadOnlySpan<byte> parameters, out ReadOnlySpan<byte> branch)
    {
        branch = default;
        foreach (var range in parameters.Split((byte)';'))
        {
            var parameter = parameters[range];
            if (parameter.IndexOfAny(" \t"u8) >= 0)
            {
                return false;
            }

            if (parameter.Length > 7 && Ascii.EqualsIgnoreCase(parameter[..7], "branch="u8))
            {
                branch = parameter[7..];
                return branch.Length > 7 && branch.StartsWith("z9hG4bK"u8);
            }
        }

        return false;
    }

    /// <summary>
    /// host and port of sent-by; the port is the default when absent, as <c>SipVia.SentBy</c> fills it.
    /// </summary>
    private static bool TryWriteSentBy(ReadOnlySpan<byte> sentBy, out ReadOnlySpan<byte> host, out int port)
    {
        port = DefaultPort;
        var colon = sentBy.IndexOf((byte)':');
        var hostEnd = sentBy[0] == (byte)'[' ? sentBy.IndexOf((byte)']') + 1 : colon >= 0 ? colon : sentBy.Length;
        if (hostEnd <= 0)
        {
            host = default;
            return false;
        }

        host = sentBy[..hostEnd];
        var tail = sentBy[hostEnd..];
        if (tail.IsEmpty)
        {
            return true;
        }

        // A port as the parser reads it: digits only, no leading zero (else its number would print differently).
        var digits = tail[1..];
        return tail[0] == (byte)':' && digits.Length is > 0 and <= 5 && digits[0] != (byte)'0'
            && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            && int.TryParse(digits, out port) && port <= 65535;
    }

    /// <summary>Appends to a fixed span; false once it is full or a byte is not printable ASCII.</summary>
    private ref struct KeyWriter(Span<char> buffer)
    {
        private readonly Span<char> _buffer = buffer;

        public int Length { get; private set; }

        public bool Append(ReadOnlySpan<byte> ascii) => Write(ascii, lower: false);

        public bool AppendLower(ReadOnlySpan<byte> ascii) => Write(ascii, lower: true);

        public bool Append(string text)
        {
            if (!text.AsSpan().TryCopyTo(_buffer[Length..]))
            {
                return false;
            }

            Length += text.Length;
            return true;
        }

        public bool Append(int number)
        {
            if (!number.TryFormat(_buffer[Length..], out var written, provider: CultureInfo.InvariantCulture))
            {
                return false;
            }

            Length += written;
            return true;
        }

        private bool Write(ReadOnlySpan<byte> ascii, bool lower)
        {
            if (ascii.Length > _buffer.Length - Length || ascii.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
            {
                return false;
            }

            foreach (var b in ascii)
            {
                _buffer[Length++] = lower ? char.ToLowerInvariant((char)b) : (char)b;
            }

            return true;
        }
    }
}
