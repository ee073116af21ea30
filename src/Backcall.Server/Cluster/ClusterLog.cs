namespace Backcall.Server.Cluster;

/// <summary>Log messages of the cluster sync (event ids 1300–1399).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(1300, LogLevel.Information, "Reloaded the working set from the shared database: {Count} authorizations")]
    public static partial void Resynced(ILogger logger, int count);

    [LoggerMessage(1301, LogLevel.Warning, "Could not apply a change from another node ({Kind} {Id}); reloading the working set")]
    public static partial void ApplyFailed(ILogger logger, Exception exception, string kind, long id);

    [LoggerMessage(1302, LogLevel.Error, "The change feed stopped; restarting it")]
    public static partial void FeedFailed(ILogger logger, Exception exception);
}
