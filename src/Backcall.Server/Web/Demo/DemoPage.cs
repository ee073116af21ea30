using Backcall.Server.Web.Assets;
using Backcall.Server.Web.Security;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// <c>/</c>: the demo in demo mode, else a short page pointing at the API reference and the console. The
/// HTML lives in wwwroot; only the language is filled in here, so the first paint is in the right one.
/// </summary>
public static class DemoPage
{
    public static IEndpointRouteBuilder MapDemoPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/",
                (
                    HttpContext context,
                    EmbeddedAssets assets,
                    HtmlSecurityHeaders pages,
                    IOptions<DemoOptions> options,
                    ICallSimulator simulator) =>
                {
                    var lang = Language.Choose(context);
                    var template = options.Value.Enabled ? "demo.html" : "index.html";
                    var html = (
                        assets.Text(template) ?? throw new InvalidOperationException(template + " is not embedded"))
                        .Replace("{{lang}}", lang, StringComparison.Ordinal)
                        .Replace("{{simulator}}", simulator.Name, StringComparison.Ordinal);
                    return pages.Page(context, html);
                })
            .ExcludeFromDescription();
        return app;
    }
}
