using Backcall.Core.Activity;
using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Operator;

/// <summary>The dashboard: figures and charts, refreshed every few seconds by <c>dashboard.js</c>.</summary>
internal static class DashboardPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/", (HttpContext context) =>
        {
            var windows = string.Concat(DashboardData.Windows.Select(w =>
                $"<option value=\"{w.Minutes}\">{(w.Minutes < 120 ? $"last {w.Minutes} minutes" : $"last {w.Minutes / 60} hours")}</option>"));
            var body = $"""
                <div class="toolbar"><label>Window <select id="window">{windows}</select></label>
                <span class="muted" id="updated" aria-live="polite">loading…</span></div>
                <section class="cards" id="cards">
                <div class="card stat"><span class="label">Live now</span><span class="value" id="stat-live">–</span></div>
                <div class="card stat"><span class="label">Created</span><span class="value" id="stat-created">–</span></div>
                <div class="card stat"><span class="label">Confirmed</span><span class="value" id="stat-confirmed">–</span></div>
                <div class="card stat"><span class="label">Expired</span><span class="value" id="stat-expired">–</span></div>
                <div class="card stat"><span class="label">Confirmation rate</span><span class="value" id="stat-rate">–</span></div>
                <div class="card stat"><span class="label">Calls matched / unmatched</span><span class="value" id="stat-calls">–</span></div>
                <div class="card stat"><span class="label">Webhooks delivered / failed / pending</span><span class="value" id="stat-webhooks">–</span></div>
                </section>
                <section class="charts">
                <figure class="card chart"><figcaption>Authorizations <span class="per"></span></figcaption><svg id="chart-authorizations" role="img" aria-label="Authorizations created, confirmed and expired"></svg><div class="legend" id="legend-authorizations"></div></figure>
                <figure class="card chart"><figcaption>Confirmation rate, %</figcaption><svg id="chart-rate" role="img" aria-label="Confirmation rate"></svg><div class="legend" id="legend-rate"></div></figure>
                <figure class="card chart"><figcaption>Time to call</figcaption><svg id="chart-time-to-call" role="img" aria-label="Time from the number being handed out to the call"></svg><div class="legend" id="legend-time-to-call"></div></figure>
                <figure class="card chart"><figcaption>SIP and PBX calls <span class="per"></span></figcaption><svg id="chart-calls" role="img" aria-label="Calls matched, unmatched and denied"></svg><div class="legend" id="legend-calls"></div><p class="muted small" id="sip-note"></p></figure>
                <figure class="card chart"><figcaption>Webhook attempts <span class="per"></span></figcaption><svg id="chart-webhooks" role="img" aria-label="Webhook attempts succeeded and failed"></svg><div class="legend" id="legend-webhooks"></div></figure>
                </section>
                """;
            return OperatorPage.For(context).Render("Dashboard", "dashboard", body, scripts: ["/static/js/charts.js", "/static/js/dashboard.js"]);
        });

        console.MapGet("/data/dashboard", async (HttpContext context, ActivityAdmin activity, AuthorizationIndex index, SipDeniedCounter sipDenied, IOptions<AuthorizationOptions> options, TimeProvider time, int? minutes) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return WebJson.Json(await DashboardData.BuildAsync(activity, index, sipDenied, options, time, minutes ?? 60, context.RequestAborted));
        });
    }
}
