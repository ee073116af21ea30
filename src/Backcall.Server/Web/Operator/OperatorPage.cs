using System.Text;
using Backcall.Server.Web.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace Backcall.Server.Web.Operator;

/// <summary>The console's page frame (navigation, notices) and its forms, each with an anti-forgery token.</summary>
internal sealed class OperatorPage(HttpContext context, IAntiforgery antiforgery, HtmlSecurityHeaders pages)
{
    private static readonly (string Href, string Key, string Title)[] Nav =
    [
        ("/admin", "dashboard", "Dashboard"),
        ("/admin/tokens", "tokens", "Tokens"),
        ("/admin/numbers", "numbers", "Numbers"),
        ("/admin/authorizations", "authorizations", "Authorizations"),
        ("/admin/calls", "calls", "Call log"),
        ("/admin/webhooks", "webhooks", "Webhooks"),
    ];

    public static OperatorPage For(HttpContext context) => new(
        context,
        context.RequestServices.GetRequiredService<IAntiforgery>(),
        context.RequestServices.GetRequiredService<HtmlSecurityHeaders>());

    /// <summary>A POST form to <paramref name="action"/> with the hidden anti-forgery field.</summary>
    public string Form(string action, string inner, string cssClass = "inline", string? confirm = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var confirmAttr = confirm is null ? "" : $" data-confirm=\"{Html.E(confirm)}\"";
        return $"<form method=\"post\" action=\"{Html.E(action)}\" class=\"{Html.E(cssClass)}\"{confirmAttr}>"
            + $"<input type=\"hidden\" name=\"{Html.E(tokens.FormFieldName)}\" value=\"{Html.E(tokens.RequestToken)}\">{inner}</form>";
    }

    /// <summary>A one-button form.</summary>
    public string Button(string action, string label, string kind = "secondary", string? confirm = null) =>
        Form(action, $"<button type=\"submit\" class=\"btn btn-{Html.E(kind)}\">{Html.E(label)}</button>", "inline", confirm);

    public IResult Render(string title, string active, string body, int status = StatusCodes.Status200OK, string[]? scripts = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Html.E(title)).Append(" · Backcall console</title>")
            .Append("<link rel=\"stylesheet\" href=\"/static/css/site.css\"><link rel=\"icon\" href=\"/static/favicon.svg\">")
            .Append("</head><body class=\"console\"><header class=\"topbar\"><a class=\"brand\" href=\"/admin\">Backcall <span>console</span></a><nav>");
        foreach (var (href, key, text) in Nav)
        {
            sb.Append("<a href=\"").Append(href).Append('"').Append(key == active ? " class=\"active\" aria-current=\"page\"" : "").Append('>').Append(text).Append("</a>");
        }

        sb.Append("</nav>").Append(Form("/admin/logout", "<button type=\"submit\" class=\"btn btn-link\" id=\"sign-out\">Sign out</button>", "signout")).Append("</header><main>");
        var notice = context.Request.Query["notice"].ToString();
        if (notice.Length > 0)
        {
            sb.Append("<p class=\"notice\" role=\"status\">").Append(Html.E(Notices.Text(notice))).Append("</p>");
        }

        sb.Append("<h1>").Append(Html.E(title)).Append("</h1>").Append(body).Append("</main>")
            .Append("<script src=\"/static/js/console.js\"></script>");
        foreach (var script in scripts ?? [])
        {
            sb.Append("<script src=\"").Append(Html.E(script)).Append("\"></script>");
        }

        sb.Append("</body></html>");
        return pages.Page(context, sb.ToString(), status);
    }
}

/// <summary>The notices a redirect may show: fixed texts by key, so a link cannot put words in the console's mouth.</summary>
internal static class Notices
{
    public static string Text(string key) => key switch
    {
        "token-disabled" => "Token disabled: its requests are refused from now on.",
        "token-enabled" => "Token enabled.",
        "token-topped-up" => "Balance topped up.",
        "number-added" => "Number added to the pool.",
        "number-exists" => "That number is in the pool already.",
        "number-disabled" => "Number disabled: it is no longer handed out.",
        "number-enabled" => "Number enabled.",
        "number-removed" => "Number removed. Authorizations already on it stay valid until they end.",
        "webhook-retried" => "Delivery scheduled again.",
        "not-found" => "Not found: it may have been removed meanwhile.",
        _ => "Done.",
    };
}
