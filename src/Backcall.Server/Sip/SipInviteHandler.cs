using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Sip;

namespace Backcall.Server.Sip;

/// <summary>
/// Where the SIP stack asks the core: each INVITE becomes one call operation (matching, confirmation,
/// call log). A confirmation is durable before the rejection goes out; the call-log row of a call that
/// confirms nothing is written behind it (<see cref="CallLogWrite.BehindUnlessConfirming"/>). The
/// authorization is confirmed on the INVITE, not on the ACK: the ACK may never come, and the caller has
/// already proven the number by calling.
/// </summary>
internal sealed class SipInviteHandler : IInviteHandler
{
    private readonly CallService _calls;
    private readonly PhoneParser _phones;
    private readonly ILogger<SipInviteHandler> _logger;

    public SipInviteHandler(CallService calls, PhoneParser phones, ILogger<SipInviteHandler> logger)
    {
        _calls = calls;
        _phones = phones;
        _logger = logger;
        calls.WriteBehindFailed += (call, ex) => SipBridgeLog.CallLogWriteFailed(logger, call.CallId, ex);
    }

    public async ValueTask<SipRejectDecision> HandleInviteAsync(
        InviteRequest invite,
        CancellationToken cancellationToken)
    {
        if (!_phones.TryNormalize(invite.CalledNumber, invite.Trunk.Region, requireValid: false, out var called))
        {
            // Not one of ours (or garbage): nothing to match or log against a pool number.
            SipBridgeLog.CalledNotANumber(_logger, invite.CallId, invite.CalledNumber, invite.Trunk.Name);
            return SipRejectDecision.Default;
        }

        E164Phone? caller = null;
        if (invite.CallerNumber is { } raw
            && _phones.TryNormalize(raw, invite.Trunk.Region, requireValid: false, out var parsed))
        {
            caller = parsed;
        }

        var source = Source(invite);
        var redirection = Redirection(invite);

        // Judged at the INVITE's arrival, not when the write gets its turn: a call that came in before the
        // expiry confirms even if the database was slow and the expiry sweep ran first.
        // Not the transaction's token: it fires when the caller CANCELs or the decision times out, and then
        // the call still happened from that number. Cancelling the write would lose the verification (the
        // caller hung up a few ms early, or the database was slow) while the rejection goes out anyway.
        var call = new IncomingCall(invite.CallId, caller, called, source, invite.ReceivedAt, redirection);
        var result = await _calls
            .ReceiveAsync(call, CallLogWrite.BehindUnlessConfirming, CancellationToken.None)
            .ConfigureAwait(false);
        var (callerText, outcome, trunk) = (caller?.Value ?? "anonymous", result.Outcome.ToWire(), invite.Trunk.Name);
        if (redirection is null)
        {
            SipBridgeLog.InviteHandled(
                _logger,
                invite.CallId,
                callerText,
                called.Value,
                trunk,
                outcome,
                result.Repeated);
        }
        else
        {
            var header = invite.Redirection!.Header;
            SipBridgeLog.RedirectedInviteHandled(
                _logger,
                invite.CallId,
                callerText,
                called.Value,
                redirection.From,
                header,
                trunk,
                outcome,
                result.Repeated);
        }

        return SipRejectDecision.Default;
    }

    /// <summary>
    /// What the INVITE says of a forwarding; the forwarding number in E.164 when it reads as a phone.
    /// </summary>
    private CallRedirection? Redirection(InviteRequest invite)
    {
        if (invite.Redirection is not { } seen)
        {
            return null;
        }

        var from =
            seen.Number is { } raw
            && _phones.TryNormalize(raw, invite.Trunk.Region, requireValid: false, out var parsed)
                ? parsed.Value
                : CallRedirection.Unknown;
        return new CallRedirection(from, invite.Trunk.AllowRedirected);
    }

    /// <summary>
    /// The call log's source: where the INVITE came from and which trunk judged it, e.g.
    /// <c>sip:udp:198.51.100.7:5060 via=kamailio(udp:10.0.0.5:5060) trunk=carrier id=PAssertedIdentity</c> behind a
    /// proxy (the original source first, as the proxy reported it), else <c>sip:udp:198.51.100.7:5060 trunk=carrier
    /// …</c>.
    /// </summary>
    internal static string Source(InviteRequest invite)
    {
        var transport = invite.Transport.ToString().ToLowerInvariant();
        var tail = $"trunk={invite.Trunk.Name} id={invite.CallerIdSource}";
        return invite is { Proxy: { } proxy, OriginalSource: { } original }
            ? $"sip:{invite.OriginalTransport ?? "?"}:{original} "
                + $"via={proxy.Name}({transport}:{invite.RemoteEndPoint}) {tail}"
            : $"sip:{transport}:{invite.RemoteEndPoint} {tail}";
    }
}
