namespace Backcall.Server.Logging;

/// <summary>Every log message of the server, source-generated, with event ids kept in one place.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    public static partial void Request(ILogger logger, LogLevel level, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(1001, LogLevel.Information, "Backcall listening on {Url}; data in {DataDirectory}; storage {Storage}")]
    public static partial void Started(ILogger logger, string url, string dataDirectory, string storage);

    [LoggerMessage(1002, LogLevel.Information, "Loaded {Count} authorizations into memory; schema version {SchemaVersion}")]
    public static partial void WorkingSetLoaded(ILogger logger, int count, int schemaVersion);

    [LoggerMessage(1100, LogLevel.Information, "Authorization {Id} created for {Phone} on {Number} (token {TokenId})")]
    public static partial void AuthorizationCreated(ILogger logger, long id, string phone, string number, long tokenId);

    [LoggerMessage(1101, LogLevel.Information, "Call {CallId} from {Caller} to {Called} via {Source}: {Outcome} (authorization {AuthorizationId}, repeated {Repeated})")]
    public static partial void CallReceived(ILogger logger, string callId, string caller, string called, string source, string outcome, long? authorizationId, bool repeated);

    [LoggerMessage(1102, LogLevel.Information, "Expired {Count} authorizations")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(1103, LogLevel.Information, "Pruned {Count} rows older than the retention period")]
    public static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(1900, LogLevel.Error, "Housekeeping failed; retrying on the next tick")]
    public static partial void HousekeepingFailed(ILogger logger, Exception exception);

    [LoggerMessage(1901, LogLevel.Error, "Catalog refresh failed; serving the last loaded tokens and numbers")]
    public static partial void CatalogRefreshFailed(ILogger logger, Exception exception);
}
