using System.Globalization;
using Backcall.Core.Activity;
using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// Authorizations (filter by phone, token, status, dates) and the call log (phone, outcome, dates), newest first.
/// </summary>
internal static class ActivityPages
{
    internal const int PageSize = 100;

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet(
            "/authorizations",
            async (
                HttpContext context,
                ActivityAdmin activity,
                TokenAdmin tokens,
                PhoneParser phones,
                TimeProvider time,
                HtmlSecurityHeaders pages,
                string? phone,
                string? token,
                string? status,
                long? before,
                string? from,
                string? to) =>
            {
                var dates = new DateFilter(from, to);
                long? tokenId = long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                    ? t
                    : null;
                AuthorizationStatus? s =
                    Enum.TryParse<AuthorizationStatus>(status, true, out var parsed) && Enum.IsDefined(parsed)
                        ? parsed
                        : null;
                var query = new AuthorizationQuery(
                    Phone(phones, phone),
                    tokenId,
                    s,
                    PageSize,
                    before,
                    dates.Since,
                    dates.Until);
                var list = await activity.ListAuthorizationsAsync(query, context.RequestAborted);
                var older =
                    list.Count == PageSize
                        ? ConsoleFormat.Url(
                            "/admin/authorizations",
                            ("phone", phone),
                            ("token", token),
                            ("status", status),
                            ("from", from),
                            ("to", to),
                            ("before", ConsoleFormat.Id(list[^1].Id)))
                        : null;
                return pages.Component<AuthorizationsPage>(
                    context,
                    new
                    {
                        Items = list,
                        TokenNames = await TokenNamesAsync(tokens, context.RequestAborted),
                        Now = time.GetUtcNow(),
                        Phone = phone,
                        Token = token,
                        Status = status,
                        Dates = dates,
                        Older = older,
                    });
            });

        console.MapGet(
            "/calls",
            async (
                HttpContext context,
                ActivityAdmin activity,
                PhoneParser phones,
                HtmlSecurityHeaders pages,
                string? phone,
                string? outcome,
                long? before,
                string? from,
                string? to) =>
            {
                var dates = new DateFilter(from, to);
                CallOutcome? o = Enum.GetValues<CallOutcome>()
                    .Select(v => (CallOutcome?)v)
                    .FirstOrDefault(v => v!.Value.ToWire() == outcome);
                var query = new CallQuery(Phone(phones, phone), o, PageSize, before, dates.Since, dates.Until);
                var list = await activity.ListCallsAsync(query, context.RequestAborted);
                var older =
                    list.Count == PageSize
                        ? ConsoleFormat.Url(
                            "/admin/calls",
                            ("phone", phone),
                            ("outcome", outcome),
                            ("from", from),
                            ("to", to),
                            ("before", ConsoleFormat.Id(list[^1].Id)))
                        : null;
                var model = new
                {
                    Items = list,
                    Phone = phone,
                    Outcome = outcome,
                    Dates = dates,
                    Older = older,
                };
                return pages.Component<CallsPage>(context, model);
            });
    }

    /// <summary>Every token's name by id, so lists show names rather than bare ids.</summary>
    internal static async Task<IReadOnlyDictionary<long, string>> TokenNamesAsync(
        TokenAdmin tokens, CancellationToken cancellationToken) =>
        (await tokens.ListAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Name);

    /// <summary>
    /// The filter's phone in E.164, read the way users write it; unreadable input filters on itself (and finds
    /// nothing).
    /// </summary>
    private static string? Phone(PhoneParser phones, string? input) =>
        string.IsNullOrWhiteSpace(input) ? null
        : phones.TryNormalize(input, phones.DefaultRegion, requireValid: false, out var p) ? p.Value
        : input.Trim();
}
