using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Backcall.Server.Admin;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// The console's sign-in: the admin key once, then a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS)
/// carrying a data-protected ticket, never the key itself.
/// </summary>
public static class OperatorAuth
{
    public const string Scheme = "BackcallConsole";
    public const string Policy = "BackcallConsole";
    public const string CookieName = "backcall_console";
    private const string KeyClaim = "backcall:key";

    public static IServiceCollection AddOperatorAuth(this IServiceCollection services)
    {
        // The console's cookie is the default scheme (it was implicitly, as the only one, until the sign-in provider
        // added OpenIddict's): every /admin request knows its operator, which the forms' anti-forgery tokens are
        // bound to. The cookie's path is /admin, so the contract, admin and PBX APIs keep their own key checks.
        services
            .AddAuthentication(Scheme)
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/admin";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/admin/login";
                o.LogoutPath = "/admin/logout";
                o.Events = new CookieAuthenticationEvents
                {
                    // The dashboard's data requests want a status, not a login page.
                    OnRedirectToLogin = context =>
                    {
                        if (context.Request.Path.StartsWithSegments("/admin/data"))
                        {
                            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                            return Task.CompletedTask;
                        }

                        context.Response.Redirect(context.RedirectUri);
                        return Task.CompletedTask;
                    },

                    // A session outlives nothing: once the admin key changes, every cookie signed with the old one
                    // ends.
                    OnValidatePrincipal = context =>
                    {
                        var keys = context.HttpContext.RequestServices.GetRequiredService<AdminKeys>();
                        if (context.Principal?.FindFirst(KeyClaim)?.Value != Fingerprint(keys.AdminKey))
                        {
                            context.RejectPrincipal();
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        services
            .AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    public static Task SignInAsync(HttpContext context, AdminKeys keys)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "operator"), new Claim(KeyClaim, Fingerprint(keys.AdminKey))],
            Scheme);
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>A short one-way mark of the key: tells keys apart without putting the key in the cookie.</summary>
    private static string Fingerprint(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("console:" + key)).AsSpan(0, 12));
}
