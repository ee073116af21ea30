using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Server.Admin;
using Backcall.Server.Api;
using Backcall.Server.Housekeeping;
using Backcall.Server.Logging;
using Backcall.Server.Metrics;
using Backcall.Server.Pbx;
using Backcall.Server.Sip;
using Backcall.Server.Web;
using Backcall.Server.Webhooks;
using Backcall.Sip;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;

namespace Backcall.Server.Hosting;

/// <summary>The ASP.NET Core host: builds the web application with every feature and runs it.</summary>
public static class BackcallApp
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?> flags, string? urls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddBackcallSources(flags);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["Kestrel:Endpoints:Http:Url"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        }

        builder.Services.AddBackcallServices(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Backcall API";
            doc.Info.Description = "Phone verification by a reverse call: a drop-in replacement of the Back Calls API, plus the admin and PBX APIs.";
            return Task.CompletedTask;
        }));
        builder.Services.AddBackcallWeb(builder.Configuration);
        builder.Services.AddHostedService<HousekeepingService>();
        builder.Services.AddBackcallWebhooks(builder.Configuration);
        builder.Services.AddHostedService<CatalogRefreshService>();
        builder.Services.AddHostedService<Cluster.ClusterSyncService>();
        builder.Services.AddBackcallSip(builder.Configuration);
        builder.Services.AddHostedService<BackcallMetrics>();

        // Export our own meters only: bridging ASP.NET Core's per-request instruments cost about a
        // quarter of the check endpoint's throughput (BENCHMARKS.md).
        Prometheus.Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = i => i.Meter.Name is BackcallMetrics.MeterName or SipServer.MeterName);
        builder.Services.Configure<ForwardedHeadersOptions>(o => ConfigureForwardedHeaders(o, builder.Configuration));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower));
        });

        var app = builder.Build();
        if (builder.Configuration.GetSection($"{ServerOptions.Section}:{nameof(ServerOptions.TrustedProxies)}").GetChildren().Any())
        {
            // Only with proxies configured: with none, the middleware would believe any sender.
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseStatusCodePages();
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
            Console.WriteLine($"backcall: admin key created: {keys.AdminKey} (kept in {Path.Combine(Path.GetFullPath(options.DataDirectory), "admin.key")})");
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

        await app.WaitForShutdownAsync(cancellationToken);
        await store.DisposeAsync();
        return 0;
    }

    private static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in configuration.GetSection($"{ServerOptions.Section}:{nameof(ServerOptions.TrustedProxies)}").Get<string[]>() ?? [])
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (System.Net.IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new OptionsValidationException(nameof(ServerOptions.TrustedProxies), typeof(ServerOptions), [$"Server:TrustedProxies: '{entry}' is neither an IP address nor a CIDR range."]);
            }
        }
    }
}
