using Microsoft.Extensions.Logging;

namespace Backcall.Storage.Postgres;

/// <summary>The PostgreSQL store's log messages; event ids from <see cref="PostgresEventId"/>.</summary>
internal static partial class Log
{
    [LoggerMessage(
        PostgresEventId.ChangeFeedListening, LogLevel.Information,
        "Listening for changes from other nodes on database {Database}, channel {Channel}")]
    public static partial void Listening(ILogger logger, string database, string channel);

    [LoggerMessage(
        PostgresEventId.ChangeFeedLost, LogLevel.Warning,
        "Lost the change feed connection; reconnecting in {RetryMs} ms, then reloading the working set")]
    public static partial void ListenFailed(ILogger logger, Exception exception, double retryMs);
}
