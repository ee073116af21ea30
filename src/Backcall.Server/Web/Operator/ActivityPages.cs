using System.Globalization;
using Backcall.Core.Activity;
using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Server.Web.Operator;

/// <summary>Authorizations (filter by phone, token, status) and the call log (filter by phone, outcome), newest first.</summary>
internal static class ActivityPages
{
    private const int PageSize = 100;

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/authorizations", async (HttpContext context, ActivityAdmin activity, PhoneParser phones, TimeProvider time, string? phone, string? token, string? status, long? before) =>
        {
            var page = OperatorPage.For(context);
            var filterPhone = Phone(phones, phone);
            long? tokenId = long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
            AuthorizationStatus? s = Enum.TryParse<AuthorizationStatus>(status, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
            var list = await activity.ListAuthorizationsAsync(new AuthorizationQuery(filterPhone, tokenId, s, PageSize, before), context.RequestAborted);
            var now = time.GetUtcNow();
            var filter = $"""
                <form method="get" action="/admin/authorizations" class="filters" id="authorizations-filter">
                <label>Phone <input name="phone" value="{Html.E(phone)}" placeholder="+79001234567"></label>
                <label>Token id <input name="token" value="{Html.E(token)}" class="short" inputmode="numeric"></label>
                <label>Status <select name="status">{Options(status, "", "pending", "ok", "expired")}</select></label>
                <button type="submit" class="btn btn-secondary">Filter</button>
                </form>
                """;
            var rows = list.Select(a => new[]
            {
                Html.E(a.Id),
                Html.Link(Html.Url("/admin/authorizations", ("token", a.TokenId.ToString(CultureInfo.InvariantCulture))), a.TokenId.ToString(CultureInfo.InvariantCulture)),
                Html.Link(Html.Url("/admin/authorizations", ("phone", a.UserPhone.Value)), PhoneDisplay.Format(a.UserPhone)),
                Html.E(PhoneDisplay.Format(a.AuthNumber)),
                StatusBadge(a.StatusAt(now)),
                Html.Time(a.CreatedAt),
                Html.Time(a.ExpiresAt),
                a.ConfirmedAt is { } c ? Html.Time(c) + $" <span class=\"muted\">({Html.E(((int)(c - a.CreatedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture))} s)</span>" : Html.Time(null),
                Html.E(a.OtherCaller),
                a.Webhook is null ? "" : Html.Link(Html.Url("/admin/webhooks", ("authorization", a.Id.ToString(CultureInfo.InvariantCulture))), "deliveries"),
            });
            var more = list.Count == PageSize ? $"<p>{Html.Link(Html.Url("/admin/authorizations", ("phone", phone), ("token", token), ("status", status), ("before", list[^1].Id.ToString(CultureInfo.InvariantCulture))), "Older →")}</p>" : "";
            return page.Render("Authorizations", "authorizations", filter + Html.Table("authorizations-table", ["Id", "Token", "Phone", "Number", "Status", "Created", "Expires", "Confirmed", "Other caller", "Webhook"], rows) + more);
        });

        console.MapGet("/calls", async (HttpContext context, ActivityAdmin activity, PhoneParser phones, string? phone, string? outcome, long? before) =>
        {
            var page = OperatorPage.For(context);
            CallOutcome? o = Enum.GetValues<CallOutcome>().Select(v => (CallOutcome?)v).FirstOrDefault(v => v!.Value.ToWire() == outcome);
            var list = await activity.ListCallsAsync(new CallQuery(Phone(phones, phone), o, PageSize, before), context.RequestAborted);
            var filter = $"""
                <form method="get" action="/admin/calls" class="filters" id="calls-filter">
                <label>Phone (caller or called) <input name="phone" value="{Html.E(phone)}" placeholder="+79001234567"></label>
                <label>Outcome <select name="outcome">{Options(outcome, ["", .. Enum.GetValues<CallOutcome>().Select(v => v.ToWire())])}</select></label>
                <button type="submit" class="btn btn-secondary">Filter</button>
                </form>
                """;
            var rows = list.Select(c => new[]
            {
                Html.Time(c.ReceivedAt),
                Html.E(PhoneDisplay.Format(c.Caller) is { Length: > 0 } caller ? caller : "anonymous"),
                Html.E(PhoneDisplay.Format(c.Called)),
                Html.Badge(c.Outcome.ToWire(), c.Outcome == CallOutcome.Matched ? "ok" : c.Outcome == CallOutcome.AlreadyConfirmed ? "info" : "warn")
                    + (c.RedirectedFrom is { } by
                        ? $" <span class=\"muted redirected-from\">forwarded by {Html.E(PhoneDisplay.Format(by))}</span>"
                        : ""),
                c.AuthorizationId is { } id ? Html.Link(Html.Url("/admin/authorizations", ("before", (id + 1).ToString(CultureInfo.InvariantCulture))), id.ToString(CultureInfo.InvariantCulture)) : "",
                Html.E(c.Source),
                $"<code>{Html.E(c.CallId)}</code>",
            });
            var more = list.Count == PageSize ? $"<p>{Html.Link(Html.Url("/admin/calls", ("phone", phone), ("outcome", outcome), ("before", list[^1].Id.ToString(CultureInfo.InvariantCulture))), "Older →")}</p>" : "";
            return page.Render("Call log", "calls", filter + Html.Table("calls-table", ["Received", "Caller", "Called", "Outcome", "Authorization", "Source", "Call id"], rows) + more);
        });
    }

    internal static string StatusBadge(AuthorizationStatus status) => status switch
    {
        AuthorizationStatus.Ok => Html.Badge("ok", "ok"),
        AuthorizationStatus.Expired => Html.Badge("expired", "bad"),
        _ => Html.Badge("pending", "info"),
    };

    internal static string Options(string? selected, params string[] values) =>
        string.Concat(values.Select(v => $"<option value=\"{Html.E(v)}\"{(v == (selected ?? "") ? " selected" : "")}>{Html.E(v.Length == 0 ? "any" : v)}</option>"));

    /// <summary>The filter's phone in E.164, read the way users write it; unreadable input filters on itself (and finds nothing).</summary>
    private static string? Phone(PhoneParser phones, string? input) =>
        string.IsNullOrWhiteSpace(input) ? null
        : phones.TryNormalize(input, phones.DefaultRegion, requireValid: false, out var p) ? p.Value
        : input.Trim();
}
