using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using Dapper;
using Microsoft.Data.Sqlite;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// The webhook outbox: claims, attempts, retries, and the deliveries queued with the changes they report.
/// </summary>
public sealed partial class SqliteStore
{
    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueDeliveriesAsync(
        string node,
        DateTimeOffset now,
        DateTimeOffset leaseUntil,
        int limit,
        IReadOnlyCollection<string>? skipHosts = null,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync<IReadOnlyList<WebhookDelivery>>(c =>
        {
            var rows = c.Query<DeliveryRow>(
                """
                UPDATE webhook_outbox SET claimed_by = @node, claimed_until = @until
                WHERE id IN (
                    SELECT id FROM webhook_outbox
                    WHERE status = 0 AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
                        AND host NOT IN @skip
                    ORDER BY next_attempt_at LIMIT @limit)
                RETURNING *
                """,
                new { node, until = Ms(leaseUntil), now = Ms(now), limit, skip = skipHosts ?? [] }).ToList();

            // RETURNING gives no order: oldest first, as the claim chose them.
            return rows.OrderBy(r => r.NextAttemptAt).Select(r => r.ToDelivery()).ToList();
        }, cancellationToken);

    public Task<int> ReleaseDeliveryClaimsAsync(
        string node,
        IReadOnlyCollection<string> deliveryIds,
        CancellationToken cancellationToken = default) =>
        deliveryIds.Count == 0
            ? Task.FromResult(0)
            : _writer.WriteAsync(c => c.Execute(
                "UPDATE webhook_outbox SET claimed_by = NULL, claimed_until = NULL WHERE id IN @ids "
                    + "AND claimed_by = @node AND status = 0",
                new { ids = deliveryIds, node }), cancellationToken);

    // Every webhook sent is recorded: kept statements, like a call's (PreparedStatements).
    public Task RecordDeliveryAttemptAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            c.Prepared(
                    "INSERT INTO webhook_attempts (delivery_id, at, http_status, error, latency_ms) "
                        + "VALUES (@DeliveryId, @At, @HttpStatus, @Error, @Latency)",
                    ("@DeliveryId", attempt.DeliveryId),
                    ("@At", Ms(attempt.At)),
                    ("@HttpStatus", attempt.HttpStatus),
                    ("@Error", attempt.Error),
                    ("@Latency", attempt.Latency.TotalMilliseconds))
                .ExecuteNonQuery();
            return c.Prepared(
                    """
                    UPDATE webhook_outbox SET attempts = attempts + 1, status = @Status, last_error = @Error,
                        next_attempt_at = COALESCE(@Next, next_attempt_at),
                            completed_at = CASE WHEN @Status = 0 THEN NULL ELSE @At END,
                        claimed_by = NULL, claimed_until = NULL
                    WHERE id = @DeliveryId
                    """,
                    ("@DeliveryId", attempt.DeliveryId),
                    ("@Status", (int)attempt.NewStatus),
                    ("@Error", attempt.Error),
                    ("@Next", Ms(attempt.NextAttemptAt)),
                    ("@At", Ms(attempt.At)))
                .ExecuteNonQuery();
        }, cancellationToken);

    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(
        DeliveryQuery query,
        CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<DeliveryRow>(
            """
            SELECT * FROM webhook_outbox WHERE (@Status IS NULL OR status = @Status)
                AND (@AuthorizationId IS NULL OR authorization_id = @AuthorizationId)
              AND (@Since IS NULL OR created_at >= @Since) AND (@Until IS NULL OR created_at < @Until)
              AND (@Id IS NULL OR id = @Id)
            ORDER BY created_at DESC LIMIT @Limit
            """,
            SharedQueries.DeliveryList(query)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDelivery())];
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListDeliveryAttemptsAsync(
        string deliveryId,
        CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<AttemptRow>(
                "SELECT delivery_id, at, http_status, error, latency_ms FROM webhook_attempts "
                    + "WHERE delivery_id = @deliveryId ORDER BY id",
                new { deliveryId })
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAttempt())];
    }

    public Task<bool> RetryDeliveryAsync(
        string deliveryId,
        DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var found = c.Execute(
                "UPDATE webhook_outbox "
                    + "SET status = 0, next_attempt_at = @now, completed_at = NULL, "
                    + "claimed_by = NULL, claimed_until = NULL WHERE id = @deliveryId",
                new { deliveryId, now = Ms(now) }) == 1;
            if (found)
            {
                c.Execute(RetryVersion.Bump);
            }

            return found;
        }, cancellationToken);

    public async Task<long> GetRetryVersionAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        return await c.ExecuteScalarAsync<long>(RetryVersion.Query).ConfigureAwait(false);
    }


    private static WebhookDelivery InsertDelivery(SqliteConnection c, Authorization a, NewDelivery d)
    {
        var delivery = QueuedDeliveries.New(a, d);
        c.Prepared(
                """
                INSERT INTO webhook_outbox (id, authorization_id, token_id, url, host, success, phone, created_at,
                    next_attempt_at, claimed_by, claimed_until)
                VALUES (@id, @aid, @tid, @url, @host, @success, @phone, @created, @due, @node, @until)
                """,
                ("@id", delivery.Id),
                ("@aid", a.Id),
                ("@tid", a.TokenId),
                ("@url", d.Url),
                ("@host", WebhookHost.Of(d.Url)),
                ("@success", d.Success ? 1 : 0),
                ("@phone", d.Phone),
                ("@created", Ms(d.CreatedAt)),
                ("@due", Ms(d.DueAt)),
                ("@node", d.Lease?.Node),
                ("@until", Ms(d.Lease?.Until)))
            .ExecuteNonQuery();
        return delivery;
    }

    /// <summary>Takes back the expiry notices of an authorization not sent yet: it was confirmed after all.</summary>
    private static void WithdrawExpiryNotices(SqliteConnection c, long authorizationId)
    {
        const string Pending =
            "SELECT id FROM webhook_outbox WHERE authorization_id = @authorizationId AND success = 0 AND status = 0";
        var id = ("@authorizationId", (object?)authorizationId);
        c.Prepared($"DELETE FROM webhook_attempts WHERE delivery_id IN ({Pending})", id).ExecuteNonQuery();
        c.Prepared($"DELETE FROM webhook_outbox WHERE id IN ({Pending})", id).ExecuteNonQuery();
    }
}
