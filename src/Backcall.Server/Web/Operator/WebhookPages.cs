using System.Globalization;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;
using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;

namespace Backcall.Server.Web.Operator;

/// <summary>Webhook deliveries of the outbox: state, attempts, and a retry where one makes sense.</summary>
internal static class WebhookPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet(
            "/webhooks",
            async (
                HttpContext context,
                WebhookAdmin webhooks,
                TokenAdmin tokens,
                HtmlSecurityHeaders pages,
                string? status,
                long? authorization,
                string? from,
                string? to,
                string? before) =>
            {
                var dates = new DateFilter(from, to);
                WebhookDeliveryStatus? s =
                    Enum.TryParse<WebhookDeliveryStatus>(status, true, out var parsed) && Enum.IsDefined(parsed)
                        ? parsed
                        : null;

                // Pages follow the creation time: the next one ends (exclusive) where this one's last began.
                var until = DateTimeOffset.TryParse(
                    before,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal,
                    out var b)
                    ? b
                    : dates.Until;
                var query = new DeliveryQuery(s, authorization, ActivityPages.PageSize, dates.Since, until);
                var list = await webhooks.ListAsync(query, context.RequestAborted);
                var older =
                    list.Count == ActivityPages.PageSize
                        ? ConsoleFormat.Url(
                            "/admin/webhooks",
                            ("status", status),
                            ("authorization", authorization?.ToString(CultureInfo.InvariantCulture)),
                            ("from", from),
                            ("to", to),
                            ("before", list[^1].CreatedAt.ToString("O", CultureInfo.InvariantCulture)))
                        : null;
                return pages.Component<WebhooksPage>(
                    context,
                    new
                    {
                        Items = list,
                        TokenNames = await ActivityPages.TokenNamesAsync(tokens, context.RequestAborted),
                        Status = status,
                        Authorization = authorization?.ToString(CultureInfo.InvariantCulture),
                        Dates = dates,
                        Older = older,
                    });
            });

        console.MapGet(
            "/webhooks/{id}",
            async (
                string id,
                HttpContext context,
                WebhookAdmin webhooks,
                TokenAdmin tokens,
                HtmlSecurityHeaders pages) =>
            {
                var found = await webhooks.ListAsync(new DeliveryQuery(Limit: 1, Id: id), context.RequestAborted);
                if (found.Count == 0)
                {
                    return Results.Redirect("/admin/webhooks?notice=not-found");
                }

                return pages.Component<WebhookPage>(
                    context,
                    new
                    {
                        Delivery = found[0],
                        Attempts = await webhooks.ShowAsync(id, context.RequestAborted),
                        TokenNames = await ActivityPages.TokenNamesAsync(tokens, context.RequestAborted),
                    });
            });

        console.MapPost(
            "/webhooks/{id}/retry",
            async (string id, HttpContext context, WebhookAdmin webhooks, ILogger<ConsoleActivity> logger) =>
            {
                if (!await webhooks.RetryAsync(id, context.RequestAborted))
                {
                    return Results.Redirect("/admin/webhooks?notice=not-found");
                }

                WebLog.ConsoleAction(logger, "retried webhook delivery", id);
                return Results.Redirect("/admin/webhooks/" + Uri.EscapeDataString(id) + "?notice=webhook-retried");
            });
    }
}
