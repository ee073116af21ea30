using System.Collections.Frozen;

namespace Backcall.Sip.Message;

/// <summary>Canonical header names and the RFC 3261 §7.3.3 (and later RFCs') compact forms.</summary>
internal static class SipHeaderNames
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string MaxForwards = "Max-Forwards";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string Contact = "Contact";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Allow = "Allow";
    public const string Accept = "Accept";
    public const string Date = "Date";
    public const string Server = "Server";
    public const string UserAgent = "User-Agent";
    public const string Warning = "Warning";
    public const string Privacy = "Privacy";
    public const string PAssertedIdentity = "P-Asserted-Identity";
    public const string RemotePartyId = "Remote-Party-ID";
    public const string Diversion = "Diversion";
    public const string HistoryInfo = "History-Info";
    public const string Subject = "Subject";
    public const string Supported = "Supported";

    // Every spelling we canonicalise, keyed case-insensitively (header names are case-insensitive, §7.3.1).
    private static readonly FrozenDictionary<string, string> Canonical = new Dictionary<string, string>(
        StringComparer.OrdinalIgnoreCase)
    {
        ["v"] = Via,
        [Via] = Via,
        ["f"] = From,
        [From] = From,
        ["t"] = To,
        [To] = To,
        ["i"] = CallId,
        [CallId] = CallId,
        [CSeq] = CSeq,
        [MaxForwards] = MaxForwards,
        ["l"] = ContentLength,
        [ContentLength] = ContentLength,
        ["c"] = ContentType,
        [ContentType] = ContentType,
        ["m"] = Contact,
        [Contact] = Contact,
        ["e"] = "Content-Encoding",
        ["Content-Encoding"] = "Content-Encoding",
        ["s"] = Subject,
        [Subject] = Subject,
        ["k"] = Supported,
        [Supported] = Supported,
        ["o"] = "Event",
        ["Event"] = "Event",
        ["r"] = "Refer-To",
        ["Refer-To"] = "Refer-To",
        ["b"] = "Referred-By",
        ["Referred-By"] = "Referred-By",
        ["u"] = "Allow-Events",
        ["Allow-Events"] = "Allow-Events",
        ["x"] = "Session-Expires",
        ["Session-Expires"] = "Session-Expires",
        ["a"] = "Accept-Contact",
        ["Accept-Contact"] = "Accept-Contact",
        ["j"] = "Reject-Contact",
        ["Reject-Contact"] = "Reject-Contact",
        ["d"] = "Request-Disposition",
        ["Request-Disposition"] = "Request-Disposition",
        ["y"] = "Identity",
        ["Identity"] = "Identity",
        [Route] = Route,
        [RecordRoute] = RecordRoute,
        [Allow] = Allow,
        [Accept] = Accept,
        [Date] = Date,
        [Privacy] = Privacy,
        [PAssertedIdentity] = PAssertedIdentity,
        [RemotePartyId] = RemotePartyId,
        [Diversion] = Diversion,
        [HistoryInfo] = HistoryInfo,
        [Server] = Server,
        [UserAgent] = UserAgent,
        [Warning] = Warning,
        ["Expires"] = "Expires",
        ["Require"] = "Require",
        ["Proxy-Require"] = "Proxy-Require",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CanonicalBySpan =
        Canonical.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Returns the canonical long name for a known header, otherwise the name as received.</summary>
    public static string Canonicalize(string name) => Canonical.TryGetValue(name, out var canonical) ? canonical : name;

    /// <summary>The same, from a span: a known name costs no string.</summary>
    public static string Canonicalize(ReadOnlySpan<char> name) =>
        CanonicalBySpan.TryGetValue(name, out var canonical) ? canonical : name.ToString();
}
