using Backcall.Sip.Message;

namespace Backcall.Sip.Transactions;

/// <summary>
/// Server transaction matching key (RFC 3261 §17.2.3): branch + sent-by + method when the branch has
/// the magic cookie; otherwise the RFC 2543 fallback of Request-URI, From tag, Call-ID, CSeq number and
/// top Via. ACK and CANCEL look up the INVITE transaction by passing <c>INVITE</c> as the method.
/// </summary>
internal static class TransactionKey
{
    public static string For(SipRequest request, string method)
    {
        var via = request.TopVia!;
        if (via.HasRfc3261Branch)
        {
            return string.Concat(via.Branch, "|", via.SentBy, "|", method);
        }

        // RFC 2543 peers: the To tag is left out because the ACK carries the tag we added, the INVITE none.
        return string.Join(
            '|',
            "2543",
            request.RawRequestUri,
            request.From?.Tag,
            request.CallId,
            request.CSeq?.Number,
            via.Serialize(),
            method);
    }
}
