namespace Backcall.Server.Web;

/// <summary>
/// The page language: an explicit choice (<c>?lang=</c>, remembered in a cookie), else Accept-Language.
/// </summary>
public static class Language
{
    public const string Cookie = "backcall_lang";
    public const string Default = "en";

    internal static readonly string[] Supported = ["en", "ru"];

    public static string Choose(HttpContext context)
    {
        var request = context.Request;
        var asked = request.Query["lang"].ToString();
        if (Supported.Contains(asked))
        {
            context.Response.Cookies.Append(Cookie, asked, new CookieOptions
            {
                HttpOnly = false,
                SameSite = SameSiteMode.Lax,
                Secure = request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
            });
            return asked;
        }

        if (request.Cookies.TryGetValue(Cookie, out var remembered) && Supported.Contains(remembered))
        {
            return remembered;
        }

        var accepted = request.GetTypedHeaders().AcceptLanguage;
        foreach (var value in accepted.OrderByDescending(v => v.Quality ?? 1.0))
        {
            var tag = value.Value.ToString();
            var primary = tag.Split('-')[0].ToLowerInvariant();
            if (Supported.Contains(primary))
            {
                return primary;
            }
        }

        return Default;
    }
}
