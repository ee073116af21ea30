using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;

namespace Backcall.Server.Web.Operator;

/// <summary>The dashboard: figures and charts, refreshed every few seconds by <c>dashboard.js</c>.</summary>
internal static class DashboardPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet(
            "/",
            (HttpContext context, HtmlSecurityHeaders pages) => pages.Component<DashboardPage>(context, new { }));

        console.MapGet(
            "/data/dashboard",
            async (HttpContext context, [AsParameters] DashboardSources sources, int? minutes) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return WebJson.Json(await DashboardData.BuildAsync(sources, minutes ?? 60, context.RequestAborted));
            });
    }
}
