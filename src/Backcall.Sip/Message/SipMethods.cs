namespace Backcall.Sip.Message;

/// <summary>Method names we recognise. Methods are case-sensitive tokens (RFC 3261 §7.1).</summary>
internal static class SipMethods
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Cancel = "CANCEL";
    public const string Bye = "BYE";
    public const string Options = "OPTIONS";
    public const string Prack = "PRACK";
    public const string Register = "REGISTER";

    /// <summary>What a reject-only UAS can take part in; advertised in Allow.</summary>
    public const string Allowed = "INVITE, ACK, CANCEL, OPTIONS, BYE";

    /// <summary>Methods defined by RFC 3261 and its extensions that we understand but do not serve: 405.</summary>
    private static readonly HashSet<string> KnownButNotAllowed =
        ["REGISTER", "INFO", "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH"];

    /// <summary>
    /// The method of a request line: the shared constant for the methods a trunk sends, so parsing one
    /// allocates nothing for it; any other token as received (methods are case-sensitive, §7.1).
    /// </summary>
    public static string FromBytes(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("INVITE"u8) => Invite,
        _ when method.SequenceEqual("ACK"u8) => Ack,
        _ when method.SequenceEqual("CANCEL"u8) => Cancel,
        _ when method.SequenceEqual("BYE"u8) => Bye,
        _ when method.SequenceEqual("OPTIONS"u8) => Options,
        _ => System.Text.Encoding.Latin1.GetString(method),
    };

    public static bool IsKnownButNotAllowed(string method) => KnownButNotAllowed.Contains(method);
}
