namespace Backcall.Sip;

/// <summary>
/// The application's decision point: called once per INVITE server transaction (never for a
/// retransmission), before the final rejection is sent. Keep it fast: the trunk is waiting; after
/// <see cref="SipOptions.DecisionTimeout"/> the default code is sent anyway.
/// </summary>
public interface IInviteHandler
{
    /// <param name="invite">Who called whom, as extracted from the INVITE.</param>
    /// <param name="cancellationToken">Cancelled when the caller CANCELs, the decision times out or the server
    /// stops.</param>
    /// <returns>The rejection to send; <see cref="SipRejectDecision.Default"/> uses
    /// <see cref="SipOptions.RejectCode"/>.</returns>
    ValueTask<SipRejectDecision> HandleInviteAsync(InviteRequest invite, CancellationToken cancellationToken);
}
