using Backcall.Server.Logging;

namespace Backcall.Server.Webhooks;

/// <summary>
/// Log messages of webhook delivery (event ids from <see cref="ServerEventId"/>). URLs are logged by host
/// only: their paths and queries may hold the app's secrets.
/// </summary>
internal static partial class WebhookLog
{
    [LoggerMessage(
        ServerEventId.WebhookDispatcherStarted, LogLevel.Information,
        "Webhook dispatcher running as node {Node}: up to {MaxConcurrency} deliveries at once, {MaxPerHost} per host")]
    public static partial void DispatcherStarted(ILogger logger, string node, int maxConcurrency, int maxPerHost);

    // Debug: success is the normal case and the outbox and console keep every attempt; failures are Warnings.
    [LoggerMessage(
        ServerEventId.WebhookDelivered, LogLevel.Debug,
        "Webhook {DeliveryId} (authorization {AuthorizationId}) delivered to {Host}: HTTP {HttpStatus} in "
            + "{LatencyMs:0.0} ms, attempt {Attempt}")]
    public static partial void Delivered(
        ILogger logger, string deliveryId, long authorizationId, string host, int httpStatus, double latencyMs,
        int attempt);

    [LoggerMessage(
        ServerEventId.WebhookAttemptFailed, LogLevel.Warning,
        "Webhook {DeliveryId} (authorization {AuthorizationId}) to {Host}: attempt {Attempt} failed: {Error}; next "
            + "attempt at {NextAttemptAt:o}")]
    public static partial void AttemptFailed(
        ILogger logger, string deliveryId, long authorizationId, string host, int attempt, string error,
        DateTimeOffset? nextAttemptAt);

    [LoggerMessage(
        ServerEventId.WebhookDeliveryFailed, LogLevel.Error,
        "Webhook {DeliveryId} (authorization {AuthorizationId}) to {Host} FAILED after {Attempts} attempts: "
            + "{Error}; retry it with: backcall webhook retry {DeliveryId}")]
    public static partial void DeliveryFailed(
        ILogger logger, string deliveryId, long authorizationId, string host, int attempts, string error);

    [LoggerMessage(
        ServerEventId.WebhookAttemptNotRecorded, LogLevel.Error,
        "Webhook {DeliveryId}: the attempt could not be recorded; it is tried again when its claim ends")]
    public static partial void AttemptNotRecorded(ILogger logger, string deliveryId, Exception exception);

    [LoggerMessage(
        ServerEventId.WebhookDispatcherFailed, LogLevel.Error,
        "Webhook dispatcher pass failed; retrying on the next poll")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(
        ServerEventId.WebhookClaimsReleased, LogLevel.Debug,
        "Webhook dispatcher handed back {Count} claimed deliveries it could not start in time; they are due again "
            + "at once")]
    public static partial void ClaimsReleased(ILogger logger, int count);

    [LoggerMessage(ServerEventId.WebhookRefused, LogLevel.Information, "Webhook host {Host} refused: {Reason}")]
    public static partial void WebhookRefused(ILogger logger, string host, string reason);

    [LoggerMessage(
        ServerEventId.WebhookHostUnchecked, LogLevel.Warning,
        "Webhook host {Host} could not be checked now ({Reason}); accepted, and checked again at delivery")]
    public static partial void WebhookHostUnchecked(ILogger logger, string host, string reason);

    [LoggerMessage(
        ServerEventId.WebhookRetryRequested, LogLevel.Information,
        "Webhook {DeliveryId} queued for another attempt by the operator")]
    public static partial void RetryRequested(ILogger logger, string deliveryId);
}
