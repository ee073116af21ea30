using System.Diagnostics;

namespace Backcall.Server.Logging;

/// <summary>
/// One structured line per request worth a look, with the token redacted from the path: server errors
/// at Warning, client errors and slow answers at Information, the rest (a poll every 2 s per user) at
/// Debug, so a busy server does not spend its time writing access logs. ASP.NET Core's own request
/// logging is turned down to Warning in configuration because it would print the raw path.
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = context.Response.StatusCode;
            var level = status >= 500 ? LogLevel.Warning
                : status >= 400 || elapsed >= Slow ? LogLevel.Information
                : LogLevel.Debug;
            if (logger.IsEnabled(level))
            {
                Log.Request(
                    logger,
                    level,
                    context.Request.Method,
                    PathRedaction.Redact(context.Request.Path.Value ?? "/"),
                    status,
                    elapsed.TotalMilliseconds);
            }
        }
    }
}
