using System.Globalization;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;

namespace Backcall.Server.Web.Operator;

/// <summary>Webhook deliveries of the outbox: state, attempts, and a retry for failed ones.</summary>
internal static class WebhookPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/webhooks", async (HttpContext context, WebhookAdmin webhooks, string? status, long? authorization) =>
        {
            var page = OperatorPage.For(context);
            WebhookDeliveryStatus? s = Enum.TryParse<WebhookDeliveryStatus>(status, true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
            var list = await webhooks.ListAsync(new DeliveryQuery(s, authorization, 100), context.RequestAborted);
            var filter = $"""
                <form method="get" action="/admin/webhooks" class="filters" id="webhooks-filter">
                <label>Status <select name="status">{ActivityPages.Options(status, "", "pending", "delivered", "failed")}</select></label>
                <label>Authorization <input name="authorization" value="{Html.E(authorization?.ToString(CultureInfo.InvariantCulture))}" class="short" inputmode="numeric"></label>
                <button type="submit" class="btn btn-secondary">Filter</button>
                </form>
                """;
            var rows = list.Select(d => new[]
            {
                Html.Link("/admin/webhooks/" + Uri.EscapeDataString(d.Id), d.Id),
                Html.E(d.AuthorizationId),
                Html.E(d.TokenId),
                $"<span class=\"url\">{Html.E(d.Url)}</span>",
                d.Success ? "confirmation" : "expiry",
                StateBadge(d.Status),
                Html.E(d.Attempts),
                d.Status == WebhookDeliveryStatus.Pending ? Html.Time(d.NextAttemptAt) : Html.Time(d.CompletedAt),
                Html.E(d.LastError),
                d.Status == WebhookDeliveryStatus.Delivered ? "" : page.Button("/admin/webhooks/" + Uri.EscapeDataString(d.Id) + "/retry", "Retry now"),
            });
            return page.Render("Webhook deliveries", "webhooks", filter + Html.Table("webhooks-table", ["Delivery", "Authorization", "Token", "URL", "Kind", "State", "Attempts", "Next / done", "Last error", ""], rows));
        });

        console.MapGet("/webhooks/{id}", async (string id, HttpContext context, WebhookAdmin webhooks) =>
        {
            var page = OperatorPage.For(context);
            var attempts = await webhooks.ShowAsync(id, context.RequestAborted);
            var rows = attempts.Select(a => new[]
            {
                Html.Time(a.At),
                a.HttpStatus is { } code ? Html.Badge(code.ToString(CultureInfo.InvariantCulture), code is >= 200 and < 300 ? "ok" : "bad") : Html.Badge("no answer", "bad"),
                Html.E(a.Error),
                Html.E(a.Latency.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)) + " ms",
            });
            var body = $"<p>Delivery <code>{Html.E(id)}</code></p>"
                + Html.Table("attempts-table", ["At", "Answer", "Error", "Latency"], rows, "No attempt yet.")
                + page.Button("/admin/webhooks/" + Uri.EscapeDataString(id) + "/retry", "Retry now", "primary")
                + $"<p>{Html.Link("/admin/webhooks", "All deliveries")}</p>";
            return page.Render("Delivery attempts", "webhooks", body);
        });

        console.MapPost("/webhooks/{id}/retry", async (string id, HttpContext context, WebhookAdmin webhooks, ILogger<OperatorPage> logger) =>
        {
            if (!await webhooks.RetryAsync(id, context.RequestAborted))
            {
                return Results.Redirect("/admin/webhooks?notice=not-found");
            }

            WebLog.ConsoleAction(logger, "retried webhook delivery", id);
            return Results.Redirect("/admin/webhooks?notice=webhook-retried");
        });
    }

    private static string StateBadge(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Delivered => Html.Badge("delivered", "ok"),
        WebhookDeliveryStatus.Failed => Html.Badge("failed", "bad"),
        _ => Html.Badge("pending", "info"),
    };
}
