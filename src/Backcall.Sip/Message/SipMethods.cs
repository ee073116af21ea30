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

    public static bool IsKnownButNotAllowed(string method) => KnownButNotAllowed.Contains(method);
}
