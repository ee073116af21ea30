using Microsoft.Playwright;

namespace Backcall.Web.Tests.Infrastructure;

/// <summary>
/// Requests a page makes to anything but loopback: there must be none (no CDN, no remote font, works offline).
/// </summary>
public static class ForeignRequests
{
    public static List<string> Record(IPage page)
    {
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url)
                || url.Scheme is "data" or "blob" or "about"
                || url.IsLoopback)
            {
                return;
            }

            lock (foreign)
            {
                foreign.Add(request.Url);
            }
        };
        return foreign;
    }
}
