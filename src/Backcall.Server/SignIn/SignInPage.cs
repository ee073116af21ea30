using System.Text;
using System.Text.Encodings.Web;
using Backcall.Core.SignIn;
using Backcall.Server.Web;
using Backcall.Server.Web.Assets;
using Backcall.Server.Web.Security;

namespace Backcall.Server.SignIn;

/// <summary>
/// The sign-in page at the authorize endpoint: the HTML lives in wwwroot (signin.html, js/signin.js); here only
/// the language, the client's name, the page's ticket, whether "just call" is offered and, for a POSTed request,
/// the form that sends it again are filled in, HTML-encoded.
/// </summary>
public sealed class SignInPage(EmbeddedAssets assets, HtmlSecurityHeaders pages)
{
    public IResult Render(
        HttpContext context, SignInClient client, string ticket, bool alreadyUsed, string? redirectUri)
    {
        var resume = HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
            ? ResumeForm(context.Request.Form)
            : "";
        var html = (assets.Text("signin.html") ?? throw new InvalidOperationException("signin.html is not embedded"))
            .Replace("{{lang}}", Language.Choose(context), StringComparison.Ordinal)
            .Replace("{{client}}", HtmlEncoder.Default.Encode(client.Name), StringComparison.Ordinal)
            .Replace("{{ticket}}", HtmlEncoder.Default.Encode(ticket), StringComparison.Ordinal)
            .Replace("{{used}}", alreadyUsed ? "true" : "false", StringComparison.Ordinal)
            .Replace("{{justCall}}", client.JustCall ? "true" : "false", StringComparison.Ordinal)
            .Replace("{{resume}}", resume, StringComparison.Ordinal);

        // The re-sent request is answered with a redirect to the client (response_mode=query), which a browser
        // checks against the page's form-action: that one redirect URI's origin is allowed too, nothing else.
        return resume.Length > 0 && FormActionSource(redirectUri) is { } target
            ? pages.Page(context, html, formActionAlso: target)
            : pages.Page(context, html);
    }

    /// <summary>A hidden form with the POSTed request's parameters exactly; the page submits it on the call.</summary>
    private static string ResumeForm(IFormCollection form)
    {
        var html = new StringBuilder();
        html.Append("<form id=\"resume\" method=\"post\" action=\"")
            .Append(SignInServiceCollectionExtensions.AuthorizePath).Append("\" hidden>");
        foreach (var (name, values) in form)
        {
            foreach (var value in values)
            {
                html.Append("<input type=\"hidden\" name=\"").Append(HtmlEncoder.Default.Encode(name))
                    .Append("\" value=\"").Append(HtmlEncoder.Default.Encode(value ?? "")).Append("\">");
            }
        }

        return html.Append("</form>").ToString();
    }

    /// <summary>A CSP source for the redirect URI: its origin (https, loopback http) or its private scheme.</summary>
    private static string? FormActionSource(string? redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var source = uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : uri.Scheme + ":";
        return source.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'') ? null : source;
    }
}
