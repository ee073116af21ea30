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
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentDictionary<long, long> ArrivedAt { get; } = new();

    public static async Task<WebhookReceiver> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
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
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
