using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Backcall.BenchTool;

/// <summary>
/// A loopback webhook receiver that notes, per authorization id, the moment its webhook arrived
/// (<see cref="Stopwatch"/> ticks, the same clock the INVITE sender uses).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    // As many connections as the server opens to one host (Webhooks:MaxPerHost, default 32), so every
    // connection handler the measured run meets has run before.
    private const int WarmConnections = 32;
    private const int WarmRequests = 400;

    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentDictionary<long, long> ArrivedAt { get; } = new();

    /// <summary>Starts the receiver and answers a few hundred requests of its own before returning.</summary>
    public static async Task<WebhookReceiver> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapGet("/{**path}", (HttpContext context) =>
        {
            var now = Stopwatch.GetTimestamp();
            if (long.TryParse(context.Request.Query["id"], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                receiver.ArrivedAt.TryAdd(id, now);
            }

            return Results.Text("ok");
        });
        await app.StartAsync();
        await WarmUpAsync(url);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // A receiver started a moment before the first webhook is cold (JIT, Kestrel's first connections) and
    // would add its own start-up to the server's figures; a real app's endpoint has long been running. The
    // requests carry no id, so nothing is recorded.
    private static async Task WarmUpAsync(string url)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = WarmConnections });
        await Parallel.ForEachAsync(
            Enumerable.Range(0, WarmRequests),
            new ParallelOptions { MaxDegreeOfParallelism = WarmConnections },
            async (i, ct) =>
            {
                using var response = await client.GetAsync(
                    $"{url}/warm?n={i.ToString(CultureInfo.InvariantCulture)}", ct);
                response.EnsureSuccessStatusCode();
            });
    }
}
