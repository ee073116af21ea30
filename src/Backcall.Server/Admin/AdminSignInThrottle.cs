using System.Collections.Concurrent;
using System.Globalization;

namespace Backcall.Server.Admin;

/// <summary>
/// Failed console sign-ins (<c>POST /admin/login</c> answered 401) per client address: 10 at once, then one
/// every 6 seconds, so guessing the admin key from one address is hopeless while the operator who mistyped
/// it waits seconds and successful sign-ins never count. A throttled attempt gets 429 with Retry-After
/// before the key is even compared.
/// </summary>
internal sealed class AdminSignInThrottle(RequestDelegate next, TimeProvider time)
{
    public const string SignInPath = "/admin/login";
    private const int Burst = 10;
    private const int MaxTracked = 10_000;
    private static readonly TimeSpan Refill = TimeSpan.FromSeconds(6);

    /// <summary>Per address: failures not yet forgiven, and when that count was last brought up to date.</summary>
    private readonly ConcurrentDictionary<string, (double Failures, DateTimeOffset At)> _failures = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (Current(address) > Burst - 1)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = ((int)Refill.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await context.Response.WriteAsync(
                "Too many failed sign-ins from this address; wait a few seconds and try again.\n");
            return;
        }

        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
        {
            var now = time.GetUtcNow();
            _failures.AddOrUpdate(address, _ => (1, now), (_, old) => (Forgiven(old, now) + 1, now));
            if (_failures.Count > MaxTracked)
            {
                // Bounded memory under a spray from many addresses: forget those with nothing left to forgive.
                foreach (var (key, value) in _failures.Where(kv => Forgiven(kv.Value, now) == 0).ToList())
                {
                    _failures.TryRemove(new KeyValuePair<string, (double, DateTimeOffset)>(key, value));
                }
            }
        }
    }

    private double Current(string address) =>
        _failures.TryGetValue(address, out var entry) ? Forgiven(entry, time.GetUtcNow()) : 0;

    /// <summary>The failures still counted: one is forgiven every <see cref="Refill"/>.</summary>
    private static double Forgiven((double Failures, DateTimeOffset At) entry, DateTimeOffset now) =>
        Math.Max(0, entry.Failures - ((now - entry.At) / Refill));
}
