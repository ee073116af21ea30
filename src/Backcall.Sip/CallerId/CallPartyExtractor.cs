using Backcall.Sip.Message;
using Backcall.Sip.Parsing;

namespace Backcall.Sip.CallerId;

internal readonly record struct CallParties(string? Caller, SipCallerIdSource CallerSource, string Called);

/// <summary>
/// Works out who called whom from an INVITE. The caller is taken, in order, from P-Asserted-Identity
/// (RFC 3325), Remote-Party-ID, then From; the first two only when the trunk is trusted to assert identity
/// (TrustPai): Remote-Party-ID is an assertion just as PAI is, and any SIP device can write it. A withheld
/// identity (Privacy: id, RFC 3325 §9.3) only lets an asserted identity through; an anonymous or
/// digit-less identity yields no caller.
/// </summary>
internal static class CallPartyExtractor
{
    public static CallParties Extract(SipRequest invite, SipTrunk trunk)
    {
        var calledUri = trunk.CalledFrom == CalledNumberSource.To ? invite.To?.Uri : invite.RequestUri;
        var called = trunk.CalledNumber ?? PhoneUserPart.Clean(calledUri) ?? "";
        var (caller, source) = ExtractCaller(invite, trunk);
        return new CallParties(caller, source, called);
    }

    private static (string?, SipCallerIdSource) ExtractCaller(SipRequest invite, SipTrunk trunk)
    {
        if (trunk.TrustPai && FromPai(invite) is { } asserted)
        {
            return (asserted, SipCallerIdSource.PAssertedIdentity);
        }

        if (IsIdentityWithheld(invite))
        {
            return (null, SipCallerIdSource.None);
        }

        if (trunk.TrustPai && FirstAddress(invite, SipHeaderNames.RemotePartyId) is { } rpid)
        {
            // RPID privacy=full|uri|name asks to hide the identity; screen=no does not make it unusable.
            var privacy = rpid.Parameters.Get("privacy");
            if (privacy is not null && !privacy.Equals("off", StringComparison.OrdinalIgnoreCase))
            {
                return (null, SipCallerIdSource.None);
            }

            if (PhoneUserPart.UsableCaller(rpid.Uri) is { } rpidNumber)
            {
                return (rpidNumber, SipCallerIdSource.RemotePartyId);
            }
        }

        return PhoneUserPart.UsableCaller(invite.From?.Uri) is { } from
            ? (from, SipCallerIdSource.From)
            : (null, SipCallerIdSource.None);
    }

    /// <summary>
    /// PAI may carry a sip and a tel identity (RFC 3325 §9.1); the tel one is the number, so prefer it.
    /// </summary>
    private static string? FromPai(SipRequest invite)
    {
        string? sipNumber = null;
        foreach (var address in Addresses(invite, SipHeaderNames.PAssertedIdentity))
        {
            if (PhoneUserPart.UsableCaller(address.Uri) is not { } number)
            {
                continue;
            }

            if (address.Uri!.IsTel)
            {
                return number;
            }

            sipNumber ??= number;
        }

        return sipNumber;
    }

    private static bool IsIdentityWithheld(SipRequest invite)
    {
        foreach (var value in invite.GetHeaders(SipHeaderNames.Privacy))
        {
            foreach (
                var token in value.Split(
                    [';', ','],
                    StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Equals("id", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static SipNameAddress? FirstAddress(SipRequest invite, string header) =>
        Addresses(invite, header).FirstOrDefault();

    /// <summary>Parses each comma-separated value; malformed ones are skipped rather than failing the INVITE.</summary>
    internal static IEnumerable<SipNameAddress> Addresses(SipRequest invite, string header)
    {
        var elements = new List<string>();
        foreach (var value in invite.GetHeaders(header))
        {
            HeaderValueSplitter.Split(value, elements);
        }

        foreach (var element in elements)
        {
            if (NameAddressParser.TryParse(element, allowWildcard: false, out var address, out _))
            {
                yield return address;
            }
        }
    }
}
