using System.Text.Encodings.Web;
using Backcall.Core.SignIn;
using Backcall.Server.Web;
using Backcall.Server.Web.Assets;
using Backcall.Server.Web.Security;

namespace Backcall.Server.SignIn;

/// <summary>
/// The sign-in page at the authorize endpoint: the HTML lives in wwwroot (signin.html, js/signin.js); here only
/// the language, the client's name and the page's ticket are filled in, HTML-encoded.
/// </summary>
public sealed class SignInPage(EmbeddedAssets assets, HtmlSecurityHeaders pages)
{
    public IResult Render(HttpContext context, SignInClient client, string ticket, bool alreadyUsed)
    {
        var html = (assets.Text("signin.html") ?? throw new InvalidOperationException("signin.html is not embedded"))
            .Replace("{{lang}}", Language.Choose(context), StringComparison.Ordinal)
            .Replace("{{client}}", HtmlEncoder.Default.Encode(client.Name), StringComparison.Ordinal)
            .Replace("{{ticket}}", HtmlEncoder.Default.Encode(ticket), StringComparison.Ordinal)
            .Replace("{{used}}", alreadyUsed ? "true" : "false", StringComparison.Ordinal);
        return pages.Page(context, html);
    }
}
