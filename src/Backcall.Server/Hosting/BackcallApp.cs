using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Server.Admin;
using Backcall.Server.Api;
using Backcall.Server.Cluster;
using Backcall.Server.Housekeeping;
using Backcall.Server.Logging;
using Backcall.Server.Metrics;
using Backcall.Server.Pbx;
using Backcall.Server.SignIn;
using Backcall.Server.Sip;
using Backcall.Server.Web;
using Backcall.Server.Webhooks;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Hosting;

/// <summary>The ASP.NET Core host: builds the web application with every feature and runs it.</summary>
public static class BackcallApp
{
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid.</exception>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> flags, string? urls)
    {
        var builder = WebApplication.CreateBuilder(
            new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddBackcallSources(flags);
        urls ??=
            string.IsNullOrEmpty(builder.Configuration["urls"])
            && string.IsNullOrEmpty(builder.Configuration["Kestrel:Endpoints:Http:Url"])
                ? "http://127.0.0.1:8080"
                : builder.Configuration["urls"];
        if (urls is not null)
        {
            builder.WebHost.UseUrls(
                MetricsEndpoint.ExtraListenUrl(builder.Configuration) is { } metricsUrl
                    ? $"{urls};{metricsUrl}"
                    : urls);
        }

        builder.Services.AddBackcallServices(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddApiReference();
        builder.Services.AddBackcallWeb(builder.Configuration);
        builder.Services.AddBackcallHousekeeping();
        builder.Services.AddBackcallWebhooks();
        builder.Services.AddBackcallClusterSync();
        builder.Services.AddBackcallSip(builder.Configuration);
        builder.Services.AddBackcallMetrics(builder.Configuration);
        builder.Services.AddBackcallForwardedHeaders();
        var signIn = SignInServiceCollectionExtensions.IsEnabled(builder.Configuration);
        if (signIn)
        {
            builder.Services.AddBackcallSignIn(builder.Configuration);
        }
        builder.Services.ConfigureHttpJsonOptions(o => AdminJson.Configure(o.SerializerOptions));

        // Last, once every provider is registered: no provider sees an API token (framework lines included).
        TokenRedactingLoggerProvider.WrapAll(builder.Services);

        var app = builder.Build();

        // Every setting is checked before anything is opened or bound: a bad one stops here, in one line.
        OptionsRegistration.ValidateAll(app.Services);
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.TrustedProxies.Length > 0)
        {
            // Only with proxies configured: with none, the middleware would believe any sender.
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseRateLimiter(); // after the forwarded headers: limits are per client address
        app.UseContractStatusPages();
        app.MapBackcallMetrics();
        app.UseMiddleware<AdminSignInThrottle>();
        app.UseBackcallAuthentication();
        app.UseBackcallWeb();
        app.MapApiReference();
        app.MapContractApi();
        app.MapAdminApi();
        app.MapPbxApi();
        app.MapBackcallWeb();
        if (signIn)
        {
            app.MapBackcallSignIn();
        }
        app.MapGet("/healthz", () => Results.Text("ok")).ExcludeFromDescription();
        return app;
    }

    /// <summary>Prepares the data (schema, caches, working set), then serves until stopped.</summary>
    public static async Task<int> RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var services = app.Services;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Backcall");
        var store = services.GetRequiredService<IBackcallStore>();
        var schema = await store.MigrateAsync(cancellationToken);
        await services.GetRequiredService<Core.Catalog.CatalogCache>().ReloadAsync(cancellationToken);
        var loaded = await services.GetRequiredService<ExpiryService>().LoadWorkingSetAsync(cancellationToken);
        Log.WorkingSetLoaded(logger, loaded, schema);
        if (services.GetService<SignInKeyRing>() is { } signInKeys)
        {
            // Created on first start; every node reads the same ones before it answers a request. A node that
            // cannot decrypt them (another oidc.key) still serves everything else; its sign-in answers 503.
            try
            {
                await signInKeys.RefreshAsync(cancellationToken);
            }
            catch (InvalidOperationException ex)
            {
                SignInLog.KeysUnusable(logger, ex.Message);
                Console.Error.WriteLine("backcall: sign-in unavailable on this node: " + ex.Message);
            }
        }

        var keys = services.GetRequiredService<AdminKeys>();
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        if (keys.AdminKeyCreated)
        {
            // Never through the logger, whose output may be shipped elsewhere; in production not even on
            // standard output (a service's output is kept in the journal): only where it is.
            var path = Path.Combine(Path.GetFullPath(options.DataDirectory), "admin.key");
            Console.WriteLine(app.Environment.IsDevelopment()
                ? $"backcall: admin key created: {keys.AdminKey} (kept in {path})"
                : $"backcall: admin key created in {path} (readable by this user only; show it with: cat {path})");
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // Stop what did start (background services, SIP) as on a normal stop, so that only the reason
            // is reported (by the caller, in one line), not each service's cancellation.
            await app.StopAsync(CancellationToken.None);
            throw;
        }

        // The metrics address first: whoever waits for "listening on" may then read everything announced.
        var metricsPort = services.GetRequiredService<IOptions<MetricsOptions>>().Value.Port;
        var urls = app.Urls.ToLookup(url => metricsPort is not null && new Uri(url).Port == metricsPort);
        foreach (var url in urls[true])
        {
            Console.WriteLine($"backcall: metrics listening on {url.TrimEnd('/')}{MetricsEndpoint.Path}");
        }

        foreach (var url in urls[false])
        {
            Console.WriteLine($"backcall: listening on {url}");
            Log.Started(logger, url, Path.GetFullPath(options.DataDirectory), store.GetType().Name);
        }

        // The store is the container's: disposed once, when the caller disposes the app.
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
