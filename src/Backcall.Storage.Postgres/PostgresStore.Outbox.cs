using Backcall.Core.Authorizations;
using Backcall.Core.Storage;
using Backcall.Core.Webhooks;
using Dapper;
using Npgsql;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <remarks>
    /// FOR UPDATE SKIP LOCKED: two nodes claiming at once take disjoint rows instead of one waiting for the
    /// other and then taking the same ones. The claim lease (<c>claimed_until</c>) is what hands a delivery
    /// to another node when its claimer dies mid-delivery: once it passes, the row is due again.
    /// </remarks>
    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueDeliveriesAsync(
        string node,
        DateTimeOffset now,
        DateTimeOffset leaseUntil,
        int limit,
        IReadOnlyCollection<string>? skipHosts = null,
        CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<WebhookDelivery>>(async (c, tx, ct) =>
        {
            var rows = await c.QueryAsync<DeliveryRow>(Cmd(
                """
                UPDATE webhook_outbox SET claimed_by = @node, claimed_until = @until
                WHERE id IN (
                    SELECT id FROM webhook_outbox
                    WHERE status = 0 AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now)
                        AND host <> ALL(@skip)
                    ORDER BY next_attempt_at LIMIT @limit
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """,
                new { node, until = Ms(leaseUntil), now = Ms(now), limit, skip = (skipHosts ?? []).ToArray() },
                tx,
                ct)).ConfigureAwait(false);
            return [.. rows.OrderBy(r => r.NextAttemptAt).Select(r => r.ToDelivery())];
        }, cancellationToken);

    public Task<int> ReleaseDeliveryClaimsAsync(
        string node,
        IReadOnlyCollection<string> deliveryIds,
        CancellationToken cancellationToken = default) =>
        deliveryIds.Count == 0
            ? Task.FromResult(0)
            : InTransactionAsync(async (c, tx, ct) => await c.ExecuteAsync(Cmd(
                "UPDATE webhook_outbox SET claimed_by = NULL, claimed_until = NULL WHERE id = ANY(@ids) "
                    + "AND claimed_by = @node AND status = 0",
                new { ids = deliveryIds.ToArray(), node },
                tx,
                ct)).ConfigureAwait(false), cancellationToken);

    public Task RecordDeliveryAttemptAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            await c.ExecuteAsync(
                    Cmd(
                        "INSERT INTO webhook_attempts (delivery_id, at, http_status, error, latency_ms) "
                            + "VALUES (@DeliveryId, @At, @HttpStatus, @Error, @Latency)",
                        new
                        {
                            attempt.DeliveryId,
                            At = Ms(attempt.At),
                            attempt.HttpStatus,
                            attempt.Error,
                            Latency = attempt.Latency.TotalMilliseconds,
                        },
                        tx,
                        ct))
                .ConfigureAwait(false);
            return await c.ExecuteAsync(
                    Cmd(
                        """
                        UPDATE webhook_outbox SET attempts = attempts + 1, status = @Status, last_error = @Error,
                            next_attempt_at = COALESCE(@Next, next_attempt_at),
                                completed_at = CASE WHEN @Status = 0 THEN NULL ELSE @At END,
                            claimed_by = NULL, claimed_until = NULL
                        WHERE id = @DeliveryId
                        """,
                        new
                        {
                            attempt.DeliveryId,
                            Status = (int)attempt.NewStatus,
                            attempt.Error,
                            Next = Ms(attempt.NextAttemptAt),
                            At = Ms(attempt.At),
                        },
                        tx,
                        ct))
                .ConfigureAwait(false);
        }, cancellationToken);

    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(
        DeliveryQuery query,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<DeliveryRow>(Cmd(
            """
            SELECT * FROM webhook_outbox WHERE (@Status::integer IS NULL OR status = @Status)
                AND (@AuthorizationId::bigint IS NULL OR authorization_id = @AuthorizationId)
              AND (@Since::bigint IS NULL OR created_at >= @Since) AND (@Until::bigint IS NULL OR created_at < @Until)
              AND (@Id::text IS NULL OR id = @Id)
            ORDER BY created_at DESC LIMIT @Limit
            """,
            SharedQueries.DeliveryList(query),
            null,
            cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDelivery())];
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListDeliveryAttemptsAsync(
        string deliveryId,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<AttemptRow>(
                Cmd(
                    "SELECT delivery_id, at, http_status, error, latency_ms FROM webhook_attempts "
                        + "WHERE delivery_id = @deliveryId ORDER BY id",
                    new { deliveryId },
                    null,
                    cancellationToken))
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAttempt())];
    }

    public Task<bool> RetryDeliveryAsync(
        string deliveryId,
        DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            var found = await c.ExecuteAsync(Cmd(
                "UPDATE webhook_outbox "
                    + "SET status = 0, next_attempt_at = @now, completed_at = NULL, "
                    + "claimed_by = NULL, claimed_until = NULL WHERE id = @deliveryId",
                new { deliveryId, now = Ms(now) },
                tx,
                ct)).ConfigureAwait(false) == 1;
            if (found)
            {
                await c.ExecuteAsync(Cmd(RetryVersion.Bump, null, tx, ct)).ConfigureAwait(false);
            }

            return found;
        }, cancellationToken);

    public async Task<long> GetRetryVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>(Cmd(RetryVersion.Query, null, null, cancellationToken))
            .ConfigureAwait(false);
    }

    public async Task<StoreStatistics> GetStatisticsAsync(
        DateTimeOffset since,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var p = new { s = Ms(since) };
        var a = await c.QuerySingleAsync<(long Created, long Confirmed, long Expired)>(
                Cmd(
                    "SELECT count(*), count(*) FILTER (WHERE status = 1), count(*) FILTER (WHERE status = 2) "
                        + "FROM authorizations WHERE created_at >= @s",
                    p,
                    null,
                    cancellationToken))
            .ConfigureAwait(false);
        var calls = await c.QuerySingleAsync<(long Matched, long Unmatched)>(
                Cmd(
                    "SELECT count(*) FILTER (WHERE outcome = 'matched'), count(*) FILTER (WHERE outcome <> 'matched') "
                        + "FROM call_log WHERE received_at >= @s",
                    p,
                    null,
                    cancellationToken))
            .ConfigureAwait(false);
        var w = await c.QuerySingleAsync<(long Delivered, long Failed, long Pending)>(
                Cmd(
                    "SELECT count(*) FILTER (WHERE status = 1), count(*) FILTER (WHERE status = 2), count(*) "
                        + "FILTER (WHERE status = 0) FROM webhook_outbox WHERE created_at >= @s",
                    p,
                    null,
                    cancellationToken))
            .ConfigureAwait(false);
        return new StoreStatistics(
            a.Created,
            a.Confirmed,
            a.Expired,
            calls.Matched,
            calls.Unmatched,
            w.Delivered,
            w.Failed,
            w.Pending);
    }

    public async Task<IReadOnlyList<TokenStatistics>> GetTokenStatisticsAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<(long TokenId, long Created, long Confirmed, long Expired)>(Cmd(
            """
            SELECT token_id, count(*), count(*) FILTER (WHERE status = 1), count(*) FILTER (WHERE status = 2)
            FROM authorizations WHERE created_at >= @s GROUP BY token_id ORDER BY token_id
            """,
            new { s = Ms(since) },
            null,
            cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new TokenStatistics(r.TokenId, r.Created, r.Confirmed, r.Expired))];
    }

    private static async Task<WebhookDelivery> InsertDeliveryAsync(
        NpgsqlConnection c,
        NpgsqlTransaction tx,
        Authorization a,
        NewDelivery d,
        CancellationToken ct)
    {
        var delivery = QueuedDeliveries.New(a, d);
        await c.ExecuteAsync(
                Cmd(
                    """
                    INSERT INTO webhook_outbox (id, authorization_id, token_id, url, host, success, phone, created_at,
                        next_attempt_at, claimed_by, claimed_until)
                    VALUES (@id, @aid, @tid, @url, @host, @success, @phone, @created, @due, @node, @until)
                    """,
                    new
                    {
                        id = delivery.Id,
                        aid = a.Id,
                        tid = a.TokenId,
                        url = d.Url,
                        host = WebhookHost.Of(d.Url),
                        success = d.Success,
                        phone = d.Phone,
                        created = Ms(d.CreatedAt),
                        due = Ms(d.DueAt),
                        node = d.Lease?.Node,
                        until = Ms(d.Lease?.Until),
                    },
                    tx,
                    ct))
            .ConfigureAwait(false);
        return delivery;
    }

    /// <summary>Takes back the expiry notices of an authorization not sent yet: it was confirmed after all.</summary>
    private static async Task WithdrawExpiryNoticesAsync(
        NpgsqlConnection c,
        NpgsqlTransaction tx,
        long authorizationId,
        CancellationToken ct)
    {
        const string Pending =
            "SELECT id FROM webhook_outbox WHERE authorization_id = @authorizationId AND NOT success AND status = 0";
        await c.ExecuteAsync(
                Cmd($"DELETE FROM webhook_attempts WHERE delivery_id IN ({Pending})", new { authorizationId }, tx, ct))
            .ConfigureAwait(false);
        await c.ExecuteAsync(
                Cmd($"DELETE FROM webhook_outbox WHERE id IN ({Pending})", new { authorizationId }, tx, ct))
            .ConfigureAwait(false);
    }
}
