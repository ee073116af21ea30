using Backcall.Server.Logging;

namespace Backcall.Server.SignIn;

/// <summary>Log messages of the sign-in provider (event ids from <see cref="ServerEventId"/>).</summary>
internal static partial class SignInLog
{
    [LoggerMessage(ServerEventId.SignInKeysChanged, LogLevel.Information, "Sign-in keys in force changed: {KeyIds}")]
    public static partial void KeysChanged(ILogger logger, string keyIds);

    [LoggerMessage(
        ServerEventId.SignInKeyRefreshFailed, LogLevel.Error,
        "Sign-in keys could not be read again; the current ones stay")]
    public static partial void KeyRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(
        ServerEventId.SignInKeysUnusable, LogLevel.Error,
        "Sign-in is unavailable on this node (its endpoints answer 503); everything else runs: {Reason}")]
    public static partial void KeysUnusable(ILogger logger, string reason);

    [LoggerMessage(
        ServerEventId.SignInCompleted, LogLevel.Information,
        "Sign-in: authorization {AuthorizationId} signed in to client {ClientId}")]
    public static partial void Completed(ILogger logger, long authorizationId, string clientId);

    [LoggerMessage(ServerEventId.SignInRefused, LogLevel.Warning, "Sign-in refused for client {ClientId}: {Reason}")]
    public static partial void Refused(ILogger logger, string? clientId, string reason);
}
