using System.Diagnostics;

namespace Backcall.Server.Logging;

/// <summary>
/// One structured line per request, with the token redacted from the path. ASP.NET Core's own request
/// logging is turned down to Warning in configuration because it would print the raw path.
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log.Request(logger, context.Request.Method, PathRedaction.Redact(context.Request.Path.Value ?? "/"), context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
