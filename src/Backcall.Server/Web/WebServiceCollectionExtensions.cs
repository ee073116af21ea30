using Backcall.Server.Hosting;
using Backcall.Server.Web.Assets;
using Backcall.Server.Web.Demo;
using Backcall.Server.Web.Operator;
using Backcall.Server.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web;

/// <summary>
/// The web face of Backcall: the demo at <c>/</c>, the operator console at <c>/admin</c>, their static files.
/// </summary>
public static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddBackcallWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DemoOptions, DemoOptionsValidator>(configuration, DemoOptions.Section);
        services.TryAddSingleton<DemoSessions>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<string, DemoRateLimitPolicy>(DemoRateLimitPolicy.Name);
        });
        services.TryAddSingleton<EmbeddedAssets>();
        services.TryAddSingleton<HtmlSecurityHeaders>();
        services.TryAddSingleton<DemoToken>();
        services.TryAddSingleton<AuthorizationPulse>();
        services.TryAddSingleton<ICallSimulator, SipCallSimulator>();
        services.AddHostedService<DemoBootstrap>();
        services.TryAddSingleton<SipDeniedCounter>();
        services.AddHostedService(sp => sp.GetRequiredService<SipDeniedCounter>());

        // Cookies and anti-forgery tokens are protected with keys kept in the data directory, so a restart
        // does not sign the operator out; the fixed application name keeps them valid when the install moves.
        services.AddDataProtection().SetApplicationName("backcall");
        services
            .AddOptions<KeyManagementOptions>()
            .Configure<IOptions<ServerOptions>, ILoggerFactory>(
                (o, server, loggers) =>
                    o.XmlRepository = new FileSystemXmlRepository(KeyDirectory(server.Value), loggers));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "backcall_csrf";
            o.Cookie.Path = "/admin";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
            o.HeaderName = "X-CSRF-Token";
        });
        services.AddOperatorAuth();

        // The console's pages are Razor components rendered on the server only: no circuit, no WebAssembly.
        services.AddRazorComponents();
        services.AddLocalization();
        return services;
    }

    /// <summary>The console's language for the whole request (its pages and texts), chosen as the demo's is.</summary>
    public static IApplicationBuilder UseBackcallWeb(this IApplicationBuilder app)
    {
        var localization = new RequestLocalizationOptions()
            .SetDefaultCulture(Language.Default)
            .AddSupportedCultures(Language.Supported)
            .AddSupportedUICultures(Language.Supported);
        localization.RequestCultureProviders =
        [
            new CustomRequestCultureProvider(context =>
                Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(Language.Choose(context)))),
        ];
        return app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/admin", StringComparison.Ordinal),
            console => console.UseRequestLocalization(localization));
    }

    public static IEndpointRouteBuilder MapBackcallWeb(this IEndpointRouteBuilder app)
    {
        app.MapGet(
                "/static/{**path}",
                (string path, HttpContext context, EmbeddedAssets assets) => assets.Serve(context, path))
            .ExcludeFromDescription();
        app.MapGet("/favicon.ico", (HttpContext context, EmbeddedAssets assets) => assets.Serve(context, "favicon.svg"))
            .ExcludeFromDescription();
        app.MapDemoPage();
        app.MapDemoApi();
        app.MapOperatorConsole();
        return app;
    }

    private static DirectoryInfo KeyDirectory(ServerOptions server)
    {
        var path = Path.Combine(Path.GetFullPath(server.DataDirectory), "web-keys");
        if (!Directory.Exists(path))
        {
            // The keys sign the console's cookies: readable by the owner only, like admin.key.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(
                    path,
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return new DirectoryInfo(path);
    }
}
