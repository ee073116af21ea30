using Microsoft.Extensions.Logging;

namespace Backcall.Storage.Postgres;

/// <summary>The PostgreSQL store's log messages (event ids 3000–3099).</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Information, "Listening for changes from other nodes on database {Database}, channel {Channel}")]
    public static partial void Listening(ILogger logger, string database, string channel);

    [LoggerMessage(3001, LogLevel.Warning, "Lost the change feed connection; reconnecting in {RetryMs} ms, then reloading the working set")]
    public static partial void ListenFailed(ILogger logger, Exception exception, double retryMs);
}
