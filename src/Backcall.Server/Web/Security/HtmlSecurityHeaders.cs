using Backcall.Server.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Security;

/// <summary>
/// The security headers of every HTML page, and the one way pages are sent with them: a content security
/// policy that allows this server's own files only (so no inline script can run and no remote asset can
/// load), no framing, no caching (the console shows secrets once).
/// </summary>
public sealed class HtmlSecurityHeaders
{
    private readonly string _policy;

    public HtmlSecurityHeaders(IOptions<ServerOptions> options)
    {
        // The QR image comes from the contract's url_image, which points at PublicBaseUrl when set.
        var images = "'self' data:";
        if (Uri.TryCreate(options.Value.PublicBaseUrl, UriKind.Absolute, out var publicBase))
        {
            images += " " + publicBase.GetLeftPart(UriPartial.Authority);
        }

        // form-action stays last: a page that may send a form elsewhere appends its one source to it (Page).
        _policy = $"default-src 'self'; img-src {images}; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    }

    /// <param name="formActionAlso">A source a form of this page may also send to (or be redirected to) besides
    /// this server: the sign-in page's one redirect URI.</param>
    public IResult Page(
        HttpContext context, string html, int status = StatusCodes.Status200OK, string? formActionAlso = null)
    {
        Secure(context);
        if (formActionAlso is not null)
        {
            context.Response.Headers.ContentSecurityPolicy = _policy + " " + formActionAlso;
        }

        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A Razor component rendered on the server (static rendering: no circuit, no WebAssembly).</summary>
    public IResult Component<TComponent>(HttpContext context, object parameters, int status = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        Secure(context);
        return new RazorComponentResult<TComponent>(parameters) { StatusCode = status };
    }

    private void Secure(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = _policy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }
}
