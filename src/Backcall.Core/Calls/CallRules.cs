using Backcall.Core.Authorizations;
using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Core.Calls;

/// <summary>
/// What a call does, decided from what is known about the called number at the moment the call was
/// received. Pure: <see cref="CallService"/> gathers the facts and persists the decision.
/// </summary>
public static class CallRules
{
    /// <summary>
    /// A call of the pair's authorization: it confirms when it was received before the expiry (even if the
    /// expiry sweep has run since), else it is late; a confirmed one stays confirmed.
    /// </summary>
    public static CallOutcome Judge(Authorization authorization, DateTimeOffset receivedAt) =>
        authorization.Status == AuthorizationStatus.Ok ? CallOutcome.AlreadyConfirmed
        : receivedAt < authorization.ExpiresAt ? CallOutcome.Matched
        : CallOutcome.Expired;

    /// <summary>
    /// Which authorization a call from <paramref name="caller"/> is judged against: the pair's own while it can be
    /// confirmed; else the number's identify authorization while it can be (nothing else waits on its number, so
    /// any usable caller ID is the answer); else the pair's finished one (a repeated or late call); else an identify
    /// authorization this caller confirmed. Null: the caller is a stranger to the number.
    /// </summary>
    /// <param name="pair">The newest authorization of (called, caller), in any state.</param>
    /// <param name="identify">The newest identify authorization on the called number, in any state.</param>
    public static Authorization? Choose(
        Authorization? pair,
        Authorization? identify,
        E164Phone caller,
        DateTimeOffset receivedAt)
    {
        if (pair is not null && Judge(pair, receivedAt) == CallOutcome.Matched)
        {
            return pair;
        }

        if (identify is not null && Judge(identify, receivedAt) == CallOutcome.Matched)
        {
            return identify;
        }

        return pair
            ?? (identify is { Status: AuthorizationStatus.Ok } && identify.ConfirmedPhone == caller ? identify : null);
    }

    /// <summary>
    /// The decision for a call judged against <paramref name="match"/> (see <see cref="Choose"/>): the pair's own
    /// authorization, or an identify one, which the caller's phone confirms.
    /// </summary>
    public static CallDecision ForMatch(
        IncomingCall call,
        E164Phone caller,
        Authorization match,
        DateTimeOffset receivedAt)
    {
        var outcome = Judge(match, receivedAt);
        if (outcome != CallOutcome.Matched)
        {
            return new CallDecision(call, receivedAt, outcome, match.Id, null, [], null);
        }

        var webhook = match.Webhook is null
            ? null
            : new NewDelivery(match.Webhook, Success: true, caller.ContractPhone, receivedAt, receivedAt);
        return new CallDecision(
            call,
            receivedAt,
            outcome,
            match.Id,
            new Confirmation(match.Id, caller, match.ExpiresAt, webhook),
            [],
            null);
    }

    /// <summary>
    /// The decision for a call from a phone no authorization of the number waits for. The masked caller is
    /// left on the waiting authorizations only when they all belong to one app: an app never learns of a
    /// call meant for another app's user.
    /// </summary>
    /// <param name="waiting">The newest authorizations pending on the number at <paramref name="receivedAt"/>.</param>
    /// <param name="oneToken">Whether every authorization pending on the number belongs to one token.</param>
    /// <param name="identify">
    /// The newest identify authorization on the number: when nothing waits, a call after its expiry is logged as
    /// late for it (and confirms nothing).
    /// </param>
    public static CallDecision ForStranger(
        IncomingCall call,
        E164Phone caller,
        IReadOnlyList<Authorization> waiting,
        bool oneToken,
        DateTimeOffset receivedAt,
        Authorization? identify = null)
    {
        if (waiting.Count == 0)
        {
            return identify is not null && Judge(identify, receivedAt) == CallOutcome.Expired
                ? ForMatch(call, caller, identify, receivedAt)
                : new CallDecision(call, receivedAt, CallOutcome.NoLiveAuthorization, null, null, [], null);
        }

        return oneToken
            ? new CallDecision(
                call,
                receivedAt,
                CallOutcome.WrongCaller,
                null,
                null,
                [.. waiting.Select(a => a.Id)],
                PhoneMasking.Mask(caller.Value))
            : new CallDecision(call, receivedAt, CallOutcome.WrongCaller, null, null, [], null);
    }

    /// <summary>
    /// The decision for a call forwarded to the number when the way in does not vouch for its forwardings
    /// (<see cref="CallRedirection.Allowed"/> false). It carries the caller ID of whoever dialled the forwarding
    /// number, not of someone who meant to call the pool number: it confirms nothing and leaves no hint.
    /// </summary>
    public static CallDecision ForRedirected(IncomingCall call, DateTimeOffset receivedAt) =>
        new(call, receivedAt, CallOutcome.Redirected, null, null, [], null);

    public static CallDecision ForAnonymous(IncomingCall call, DateTimeOffset receivedAt) =>
        new(call, receivedAt, CallOutcome.Anonymous, null, null, [], null);
}
