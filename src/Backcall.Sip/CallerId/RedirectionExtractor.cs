using Backcall.Sip.Message;

namespace Backcall.Sip.CallerId;

/// <summary>
/// Finds out whether an INVITE was forwarded to the called number, from Diversion (RFC 5806) or History-Info
/// (RFC 7044). Both are written by the forwarding network, so they are read from every trunk; whether a
/// forwarded call counts is the application's decision.
/// </summary>
/// <remarks>
/// <para>
/// Diversion: any entry is a forwarding; the top-most is the most recent, and its number is the
/// one that forwarded the call here.
/// </para>
/// <para>
/// History-Info lists every target the request had, and not every new entry is a diversion: a proxy that
/// forwards without changing the target, or a registrar that replaces the address-of-record with the user's
/// registered contact, adds entries too. The call counts as forwarded when an entry
/// </para>
/// <list type="bullet">
/// <item>carries <c>mp</c>: its target is a user other than the one of the entry it came from (RFC 7044
/// "mapped"; the tag RFC 7544 gives a diversion), or</item>
/// <item>has a <c>cause</c> parameter in its URI: the retargeting cause of RFC 4458 (302 unconditional, 486
/// busy, 408 no reply, ...), which RFC 7044 and RFC 7544 put on a diverted-to target, or</item>
/// <item>after the first, carries none of <c>rc</c>, <c>mp</c>, <c>np</c> (an RFC 4244 sender, which had no
/// tags) and names another number than the entry before it.</item>
/// </list>
/// <para>
/// Not forwarded: a single entry (it only records the target the caller dialled), and entries tagged <c>rc</c>
/// (the Request-URI changed, the target user stayed the same) or <c>np</c> (no change): plain proxy hops and
/// registrar lookups. An untagged entry that only rewrites the number's form (<c>8495…</c> to <c>+7495…</c>)
/// counts as forwarded: without the trunk's region the two cannot be told apart, and doubt must not confirm.
/// The forwarding number is the entry the last retargeting came from: the one <c>mp</c> names by its index,
/// else the entry before it. An entry that does not parse is skipped, as in <see cref="CallPartyExtractor"/>.
/// </para>
/// </remarks>
internal static class RedirectionExtractor
{
    public static SipRedirection? Extract(SipRequest invite) => FromDiversion(invite) ?? FromHistoryInfo(invite);

    private static SipRedirection? FromDiversion(SipRequest invite)
    {
        var top = CallPartyExtractor.Addresses(invite, SipHeaderNames.Diversion).FirstOrDefault();
        return top is null ? null : new SipRedirection(Number(top), SipRedirectionHeader.Diversion);
    }

    private static SipRedirection? FromHistoryInfo(SipRequest invite)
    {
        var entries = CallPartyExtractor.Addresses(invite, SipHeaderNames.HistoryInfo).ToList();
        int? retargeted = null;
        for (var i = 0; i < entries.Count; i++)
        {
            if (IsDiversion(entries, i))
            {
                retargeted = i;
            }
        }

        if (retargeted is not { } last)
        {
            return null;
        }

        var from = DivertedFrom(entries, last);
        return new SipRedirection(from is null ? null : Number(from), SipRedirectionHeader.HistoryInfo);
    }

    private static bool IsDiversion(List<SipNameAddress> entries, int i)
    {
        var entry = entries[i];
        if (entry.Parameters.Contains("mp") || entry.Uri!.Parameters.Contains("cause"))
        {
            return true;
        }

        var tagged = entry.Parameters.Contains("rc") || entry.Parameters.Contains("np");
        return i > 0 && !tagged && PhoneUserPart.Clean(entry.Uri) != PhoneUserPart.Clean(entries[i - 1].Uri);
    }

    /// <summary>The entry a retargeted one came from: named by <c>mp</c>'s index, else the one before it.</summary>
    private static SipNameAddress? DivertedFrom(List<SipNameAddress> entries, int retargeted)
    {
        if (entries[retargeted].Parameters.Get("mp") is { Length: > 0 } index
            && entries.FirstOrDefault(e => e.Parameters.Get("index") == index) is { } named)
        {
            return named;
        }

        return retargeted > 0 ? entries[retargeted - 1] : null;
    }

    /// <summary>The number of an entry, unless its privacy parameter (Diversion's privacy=full|uri|name) hides it.
    /// </summary>
    private static string? Number(SipNameAddress entry)
    {
        var privacy = entry.Parameters.Get("privacy");
        var hidden = privacy is not null && !privacy.Equals("off", StringComparison.OrdinalIgnoreCase);
        return hidden ? null : PhoneUserPart.UsableCaller(entry.Uri);
    }
}
