using Backcall.Server.Logging;

namespace Backcall.Server.Cluster;

/// <summary>Log messages of the cluster sync (event ids from <see cref="ServerEventId"/>).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(
        ServerEventId.ClusterResynced, LogLevel.Information,
        "Reloaded the working set from the shared database: {Count} authorizations")]
    public static partial void Resynced(ILogger logger, int count);

    [LoggerMessage(
        ServerEventId.ClusterApplyFailed, LogLevel.Warning,
        "Could not apply a change from another node ({Kind} {Id}); reloading the working set")]
    public static partial void ApplyFailed(ILogger logger, Exception exception, string kind, long id);

    [LoggerMessage(ServerEventId.ClusterFeedFailed, LogLevel.Error, "The change feed stopped; restarting it")]
    public static partial void FeedFailed(ILogger logger, Exception exception);
}
