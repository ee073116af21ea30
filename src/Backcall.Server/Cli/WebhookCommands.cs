using System.CommandLine;
using System.Globalization;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using Backcall.Server.Admin;
using Backcall.Server.Webhooks;

namespace Backcall.Server.Cli;

/// <summary><c>backcall webhook list|show|retry</c>: the webhook outbox, as the admin API shows it.</summary>
internal static class WebhookCommands
{
    public static Command Build()
    {
        var webhook = new Command("webhook", "Inspect and retry webhook deliveries");

        var status = new Option<string?>("--status")
        {
            Description = "Only deliveries in this state: pending, delivered or failed",
        };
        var authorization = new Option<long?>("--authorization")
        {
            Description = "Only deliveries of this authorization id",
        };
        var limit = new Option<int>("--limit")
        {
            Description = "At most this many, newest first",
            DefaultValueFactory = _ => 50,
        };
        var list = new Command("list", "List deliveries, newest first") { status, authorization, limit };
        list.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            if (!WebhookAdminEndpoints.TryParseStatus(parse.GetValue(status), out var s))
            {
                throw new ArgumentException("--status must be pending, delivered or failed");
            }

            await using var cli = await CliContext.OpenAsync(parse, ct);
            var deliveries = await cli.Get<WebhookAdmin>()
                .ListAsync(new DeliveryQuery(s, parse.GetValue(authorization), parse.GetValue(limit)), ct);
            cli.Print(deliveries.Select(AdminJson.Delivery), () => Table(deliveries));
            return 0;
        }));

        var showId = new Argument<string>("id") { Description = "Delivery id (msg_…, see webhook list)" };
        var show = new Command("show", "Show the attempts of a delivery: time, HTTP status, error, latency") { showId };
        show.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var id = parse.GetValue(showId)!;
            var webhooks = cli.Get<WebhookAdmin>();
            if ((await webhooks.ListAsync(new DeliveryQuery(Id: id, Limit: 1), ct)).Count == 0)
            {
                return CliErrors.NotFound(parse, "delivery " + id);
            }

            var attempts = await webhooks.ShowAsync(id, ct);
            cli.Print(attempts.Select(WebhookAdminEndpoints.Attempt), () => Attempts(attempts));
            return 0;
        }));

        var retryId = new Argument<string>("id") { Description = "Delivery id (msg_…, see webhook list)" };
        var retry = new Command("retry", "Make a delivery due now (e.g. a failed one, once the receiver is fixed)")
        {
            retryId,
        };
        retry.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var id = parse.GetValue(retryId)!;
            if (!await cli.Get<WebhookAdmin>().RetryAsync(id, ct))
            {
                return CliErrors.NotFound(parse, "delivery " + id);
            }

            cli.Print(new { id, retried = true }, () => $"delivery {id} is due now; a running server sends it at once");
            return 0;
        }));

        webhook.Subcommands.Add(list);
        webhook.Subcommands.Add(show);
        webhook.Subcommands.Add(retry);
        return webhook;
    }

    private static string Table(IReadOnlyList<WebhookDelivery> deliveries)
    {
        if (deliveries.Count == 0)
        {
            return "no webhook deliveries";
        }

        var lines = new List<string>
        {
            $"{"ID",-36} {"AUTH",-8} {"KIND",-7} {"STATUS",-9} {"TRIES",5} {"HOST",-24} {"NEXT / DONE",-20} LAST ERROR",
        };
        lines.AddRange(deliveries.Select(Row));
        return string.Join('\n', lines);

        static string Row(WebhookDelivery d)
        {
            var kind = d.Success ? "confirm" : "expiry";
            var status = d.Status.ToString().ToLowerInvariant();
            var host = Clip(WebhookLanes.HostOf(d.Url), 24);
            var when = Time(d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : d.CompletedAt);
            var error = Clip(d.LastError ?? "", 60);
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{d.Id,-36} {d.AuthorizationId,-8} {kind,-7} "
                    + $"{status,-9} {d.Attempts,5} {host,-24} {when,-20} {error}");
        }
    }

    private static string Attempts(IReadOnlyList<DeliveryAttempt> attempts)
    {
        if (attempts.Count == 0)
        {
            return "no attempts (yet), or no such delivery";
        }

        var lines = new List<string> { $"{"AT",-20} {"HTTP",4} {"LATENCY",10} ERROR" };
        lines.AddRange(attempts.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{Time(a.At),-20} {(a.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "-"),4} "
                + $"{a.Latency.TotalMilliseconds,8:0.0}ms {a.Error}")));
        return string.Join('\n', lines);
    }

    private static string Time(DateTimeOffset? t) =>
        t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
