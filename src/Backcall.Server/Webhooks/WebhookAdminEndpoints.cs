using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using Backcall.Server.Admin;

namespace Backcall.Server.Webhooks;

/// <summary>
/// The operator's view of webhook deliveries under <c>/api/admin/webhooks</c> (inside the admin group and its key
/// check).
/// </summary>
internal static class WebhookAdminEndpoints
{
    public static void MapWebhookAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet(
            "/webhooks",
            async (WebhookAdmin webhooks, string? status, long? authorizationId, int? limit, CancellationToken ct) =>
            {
                if (!TryParseStatus(status, out var s))
                {
                    return AdminResults.Error(
                        StatusCodes.Status400BadRequest,
                        "status must be pending, delivered or failed");
                }

                return AdminResults.Json(
                    (await webhooks.ListAsync(new DeliveryQuery(s, authorizationId, limit ?? 100), ct)).Select(
                        AdminJson.Delivery));
            });
        admin.MapGet(
            "/webhooks/{id}/attempts",
            async (string id, WebhookAdmin webhooks, CancellationToken ct) =>
                AdminResults.Json((await webhooks.ShowAsync(id, ct)).Select(Attempt)));
        admin.MapPost("/webhooks/{id}/retry", async (string id, WebhookAdmin webhooks, CancellationToken ct) =>
        {
            if (!await webhooks.RetryAsync(id, ct))
            {
                return AdminResults.NotFound("delivery");
            }

            return AdminResults.Json(new { id, retried = true });
        });
    }

    /// <summary>An attempt as the admin API and the CLI's --json show it.</summary>
    public static object Attempt(DeliveryAttempt a) => new
    {
        at = a.At,
        http_status = a.HttpStatus,
        error = a.Error,
        latency_ms = Math.Round(a.Latency.TotalMilliseconds, 1),
    };

    public static bool TryParseStatus(string? text, out WebhookDeliveryStatus? status)
    {
        status = null;
        if (text is null)
        {
            return true;
        }

        if (Enum.TryParse<WebhookDeliveryStatus>(text, true, out var parsed)
            && Enum.IsDefined(parsed)
            && !int.TryParse(text, out _))
        {
            status = parsed;
            return true;
        }

        return false;
    }
}
