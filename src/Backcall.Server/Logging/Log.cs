namespace Backcall.Server.Logging;

/// <summary>Log messages of the host and housekeeping; event ids from <see cref="ServerEventId"/>.</summary>
internal static partial class Log
{
    [LoggerMessage(
        EventId = ServerEventId.HttpRequest,
        Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    public static partial void Request(
        ILogger logger, LogLevel level, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(
        ServerEventId.Started, LogLevel.Information,
        "Backcall listening on {Url}; data in {DataDirectory}; storage {Storage}")]
    public static partial void Started(ILogger logger, string url, string dataDirectory, string storage);

    [LoggerMessage(
        ServerEventId.WorkingSetLoaded, LogLevel.Information,
        "Loaded {Count} authorizations into memory; schema version {SchemaVersion}")]
    public static partial void WorkingSetLoaded(ILogger logger, int count, int schemaVersion);

    [LoggerMessage(ServerEventId.Expired, LogLevel.Information, "Expired {Count} authorizations")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(ServerEventId.Pruned, LogLevel.Information, "Pruned {Count} rows older than the retention period")]
    public static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(ServerEventId.HousekeepingFailed, LogLevel.Error, "Housekeeping failed; retrying on the next tick")]
    public static partial void HousekeepingFailed(ILogger logger, Exception exception);

    [LoggerMessage(
        ServerEventId.CatalogRefreshFailed, LogLevel.Error,
        "Catalog refresh failed; serving the last loaded tokens and numbers")]
    public static partial void CatalogRefreshFailed(ILogger logger, Exception exception);
}
