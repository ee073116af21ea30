using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Backcall.Core.Authorizations;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// An authorization's state as Server-Sent Events (<see cref="DemoStatus"/>): now, then again at every change,
/// until it is final. The demo and the sign-in page both wait on it.
/// </summary>
public static class StatusStream
{
    /// <summary>How often an idle status stream says it is alive, under proxies' idle timeouts.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <param name="find">The authorization, if the requester may see it; null ends the stream with "gone".</param>
    public static IResult Serve(
        HttpContext context,
        Func<Task<Authorization?>> find,
        AuthorizationPulse pulse,
        TimeProvider time)
    {
        // Proxies such as nginx buffer responses unless told otherwise, which would hold the events back.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.ServerSentEvents(StreamAsync(find, pulse, time, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        Func<Task<Authorization?>> find,
        AuthorizationPulse pulse,
        TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = pulse.Next;
            var a = await find();
            if (a is null)
            {
                yield return new SseItem<string>("{\"error\":\"not_found\"}", "gone");
                yield break;
            }

            var now = time.GetUtcNow();
            var status = DemoStatus.Of(a, now);
            yield return new SseItem<string>(JsonSerializer.Serialize(status, WebJson.Options), "status")
            {
                ReconnectionInterval = TimeSpan.FromSeconds(2),
            };
            if (status.Status != "pending")
            {
                yield break;
            }

            // Wake at the next change, at expiry (read from the clock, not from the sweep), or to say alive.
            var untilExpiry = a.ExpiresAt - now + TimeSpan.FromMilliseconds(50);
            var wait = untilExpiry < Heartbeat ? untilExpiry : Heartbeat;
            await Task.WhenAny(changed, Task.Delay(wait, time, cancellationToken));
        }
    }
}
