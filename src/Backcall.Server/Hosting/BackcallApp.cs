using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Server.Admin;
using Backcall.Server.Api;
using Backcall.Server.Cluster;
using Backcall.Server.Housekeeping;
using Backcall.Server.Logging;
using Backcall.Server.Metrics;
using Backcall.Server.Pbx;
using Backcall.Server.Sip;
using Backcall.Server.Web;
using Backcall.Server.Webhooks;
using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;

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
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"])
            && string.IsNullOrEmpty(builder.Configuration["Kestrel:Endpoints:Http:Url"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        }

        builder.Services.AddBackcallServices(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Backcall API";
            doc.Info.Description = "Phone verification by a reverse call: a drop-in replacement of the Back Calls API, "
                + "plus the admin and PBX APIs.";
            return Task.CompletedTask;
        }));
        builder.Services.AddBackcallWeb(builder.Configuration);
        builder.Services.AddBackcallHousekeeping();
        builder.Services.AddBackcallWebhooks();
        builder.Services.AddBackcallClusterSync();
        builder.Services.AddBackcallSip(builder.Configuration);
        builder.Services.AddBackcallMetrics();
        builder.Services.AddBackcallForwardedHeaders();
        builder.Services.ConfigureHttpJsonOptions(o => AdminJson.Configure(o.SerializerOptions));

        var app = builder.Build();

        // Every setting is checked before anything is opened or bound: a bad one stops here, in one line.
        OptionsRegistration.ValidateAll(app.Services);
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.TrustedProxies.Length > 0)
        {
            // Only with proxies configured: with none, the middleware would believe any sender.
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseStatusCodePages();
        app.UseBackcallWeb();
        app.MapOpenApi("/openapi/{documentName}.json");
        // Everything local: no remote fonts, no AI agent, no telemetry, no deploy or SDK buttons that call out.
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("Backcall API reference")
            .DisableDefaultFonts()
            .DisableAgent()
            .DisableTelemetry()
            .HideDeveloperTools()
            .HideClientButton());
        app.MapContractApi();
        app.MapAdminApi();
        app.MapPbxApi();
        app.MapBackcallWeb();
        app.MapGet("/healthz", () => Results.Text("ok")).ExcludeFromDescription();

        // Prometheus text format: the Backcall and Backcall.Sip meters, and the process (CPU, memory, GC).
        app.MapMetrics("/metrics");
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

        var keys = services.GetRequiredService<AdminKeys>();
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        if (keys.AdminKeyCreated)
        {
            // Shown once, on the console only (not through the logger, whose output may be shipped elsewhere).
            var file = Path.Combine(Path.GetFullPath(options.DataDirectory), "admin.key");
            Console.WriteLine($"backcall: admin key created: {keys.AdminKey} (kept in {file})");
        }

        await app.StartAsync(cancellationToken);

        // prometheus-net starts listening to .NET meters at its first export; do one now so that what
        // happens before the first scrape is counted (prometheus-net issue 487).
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null, cancellationToken);
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"backcall: listening on {url}");
            Log.Started(logger, url, Path.GetFullPath(options.DataDirectory), store.GetType().Name);
        }

        // The store is the container's: disposed once, when the caller disposes the app.
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }
}
