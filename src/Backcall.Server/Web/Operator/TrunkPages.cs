using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;
using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Operator;

/// <summary>The configured SIP trunks, as the listener resolves them (none configured: the loopback trunk).</summary>
internal static class TrunkPages
{
    public static void Map(RouteGroupBuilder console) =>
        console.MapGet("/trunks", (HttpContext context, IOptions<SipOptions> options, HtmlSecurityHeaders pages) =>
        {
            var configured = options.Value.Trunks;
            IReadOnlyList<SipTrunk> trunks = configured.Count == 0
                ? [SipTrunk.Local]
                : [.. configured.Select(SipTrunk.FromOptions)];
            return pages.Component<TrunksPage>(context, new { Trunks = trunks });
        });
}
