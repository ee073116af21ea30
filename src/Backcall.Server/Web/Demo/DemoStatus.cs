using Backcall.Core.Authorizations;
using Backcall.Core.Phones;

namespace Backcall.Server.Web.Demo;

/// <summary>What the demo page shows of an authorization.</summary>
/// <param name="Status"><c>pending</c>, <c>ok</c> or <c>expired</c>, as the contract's check says.</param>
/// <param name="Phone">
/// The confirmed phone, masked (<see cref="PhoneMasking"/>): the page already knows the phone it typed, and the answer
/// must not give it to anyone else who learns the id. Null until confirmed.
/// </param>
/// <param name="OtherCaller">Masked number of someone else who called the number while it waited.</param>
public sealed record DemoStatus(long Id, string Status, int SecondsLeft, string? Phone, string? OtherCaller)
{
    public static DemoStatus Of(Authorization a, DateTimeOffset now) =>
        a.StatusAt(now) switch
        {
            AuthorizationStatus.Ok => new DemoStatus(
                a.Id,
                "ok",
                0,
                a.ConfirmedPhone is { } p ? PhoneMasking.Mask(p.Value) : null,
                null),
            AuthorizationStatus.Expired => new DemoStatus(a.Id, "expired", 0, null, a.OtherCaller),
            _ => new DemoStatus(
                a.Id,
                "pending",
                (int)Math.Ceiling((a.ExpiresAt - now).TotalSeconds),
                null,
                a.OtherCaller),
        };
}
