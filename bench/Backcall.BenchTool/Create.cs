using System.Diagnostics;
using System.Globalization;

namespace Backcall.BenchTool;

/// <summary>
/// Creates <c>--count</c> authorizations through the contract API with <c>--concurrency</c> requests in
/// flight, each for a different phone (so per-phone limits and leases never refuse one): how the memory
/// row fills the server with live authorizations the way clients would.
/// </summary>
internal static class Create
{
    public static async Task<int> RunAsync(Options options)
    {
        var baseUrl = options.Get("url").TrimEnd('/');
        var token = options.Get("token");
        var count = options.Int("count");
        var concurrency = options.Int("concurrency", 64);
        var phoneBase = long.Parse(options.Find("phone-base") ?? "79160000000", CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.Double("seconds", 300)));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

        var next = -1;
        var created = 0;
        var failed = 0;
        string? firstError = null;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && !deadline.IsCancellationRequested)
            {
                var phone = "8" + (phoneBase + i).ToString(CultureInfo.InvariantCulture)[1..];
                try
                {
                    using var response = await client.GetAsync(
                        $"{baseUrl}/api/v1/authcalls/{token}/reverse_auth_phone_get?phone={phone}", deadline.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref created);
                        continue;
                    }

                    firstError ??=
                        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(deadline.Token)}";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    firstError ??= ex.Message;
                }

                Interlocked.Increment(ref failed);
            }
        });
        await Task.WhenAll(workers);

        Console.WriteLine($"created={created}");
        Console.WriteLine($"failed={failed}");
        Console.WriteLine(
            string.Create(CultureInfo.InvariantCulture, $"rate_per_s={created / watch.Elapsed.TotalSeconds:0}"));
        if (firstError is not null)
        {
            Console.Error.WriteLine("bench-tool create: first error: " + firstError);
        }

        return created == count ? 0 : 1;
    }
}
