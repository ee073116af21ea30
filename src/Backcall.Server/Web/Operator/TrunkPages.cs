using Backcall.Server.Sip;
using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;
using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// The configured SIP trunks, as the listener resolves them (neither trunk nor registration configured: the loopback
/// trunk), and the registrations with their live state.
/// </summary>
internal static class TrunkPages
{
    public static void Map(RouteGroupBuilder console) =>
        console.MapGet(
            "/trunks",
            (HttpContext context, IOptions<SipOptions> options, SipListener sip, HtmlSecurityHeaders pages) =>
            {
                var configured = options.Value;
                IReadOnlyList<SipTrunk> trunks =
                    configured.Trunks.Count == 0 && configured.Registrations.Count == 0
                        ? [SipTrunk.Local]
                        : [.. configured.Trunks.Select(SipTrunk.FromOptions)];
                return pages.Component<TrunksPage>(context, new { Trunks = trunks, sip.Overview.Registrations });
            });
}
