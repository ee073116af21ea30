using Backcall.Core.Pool;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Demo;

/// <summary>At start-up in demo mode: the demo token, and a demo number when the pool has none enabled.</summary>
internal sealed class DemoBootstrap(
    IOptions<DemoOptions> options,
    DemoToken token,
    NumberAdmin numbers,
    Core.Catalog.CatalogCache catalog,
    ICallSimulator simulator,
    IHostEnvironment environment,
    ILogger<DemoBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        if (!environment.IsDevelopment())
        {
            // Only reached with Demo:AllowInProduction (DemoOptionsValidator stops the start otherwise).
            WebLog.DemoInProduction(logger, environment.EnvironmentName);
        }

        try
        {
            var t = await token.EnsureAsync(cancellationToken);
            if (catalog.EnabledNumbers.Count == 0 && await numbers.AddAsync(options.Value.Number, cancellationToken))
            {
                WebLog.DemoNumberAdded(logger, numbers.Parse(options.Value.Number).Value);
            }

            WebLog.DemoReady(logger, t.Id, catalog.EnabledNumbers.Count, simulator.Name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The server's real work must not depend on the demo: it starts anyway, and the demo page says
            // what is wrong.
            WebLog.DemoBootstrapFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
