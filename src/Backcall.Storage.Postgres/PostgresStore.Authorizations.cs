using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Storage;
using Dapper;
using Npgsql;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Postgres;

public sealed partial class PostgresStore
{
    public async Task<CreateAuthorizationResult> CreateAuthorizationAsync(NewAuthorization a, CancellationToken cancellationToken = default)
    {
        var ct = cancellationToken;
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);

        // One statement charges either a free request or the balance; the row lock it takes serializes
        // concurrent creations on one token across nodes, so the quota cannot be overdrawn.
        var charged = await c.ExecuteAsync(Cmd(
            """
            UPDATE tokens SET
                free_left = CASE WHEN free_left > 0 THEN free_left - 1 ELSE free_left END,
                balance_cents = CASE WHEN free_left > 0 THEN balance_cents ELSE balance_cents - price_cents END,
                used = used + 1
            WHERE id = @TokenId AND NOT disabled AND (free_left > 0 OR balance_cents - price_cents >= -balance_limit_cents)
            """,
            new { a.TokenId }, tx, ct)).ConfigureAwait(false);
        if (charged == 0)
        {
            var disabled = await c.ExecuteScalarAsync<bool?>(Cmd("SELECT disabled FROM tokens WHERE id = @TokenId", new { a.TokenId }, tx, ct)).ConfigureAwait(false);
            return new CreateAuthorizationResult(null, disabled is null or true ? CreateAuthorizationError.TokenDisabled : CreateAuthorizationError.QuotaExhausted);
        }

        var row = await c.QuerySingleAsync<AuthorizationRow>(Cmd(
            $"""
            INSERT INTO authorizations (token_id, user_phone, auth_number, qr_key, created_at, expires_at, webhook, notify_expired)
            VALUES (@TokenId, @Phone, @Number, @QrKey, @CreatedAt, @ExpiresAt, @Webhook, @NotifyExpired) RETURNING {AuthorizationColumns}
            """,
            new { a.TokenId, Phone = a.UserPhone.Value, Number = a.AuthNumber.Value, a.QrKey, CreatedAt = Ms(a.CreatedAt), ExpiresAt = Ms(a.ExpiresAt), a.Webhook, a.NotifyExpired },
            tx,
            ct)).ConfigureAwait(false);

        // The lease row is the allocation guard. On a conflict PostgreSQL waits for the other transaction
        // and evaluates the WHERE on the row it committed, so of two nodes racing for one pair exactly one
        // wins. The holder is taken over only when it visibly finished: a holder this statement's snapshot
        // cannot see yet counts as live (EXISTS ... status <> 0 is false), which errs on the safe side.
        var leased = await c.ExecuteScalarAsync<long>(Cmd(
            """
            WITH lease AS (
                INSERT INTO leases AS l (number, user_phone, authorization_id, expires_at) VALUES (@Number, @Phone, @Id, @ExpiresAt)
                ON CONFLICT (number, user_phone) DO UPDATE SET authorization_id = excluded.authorization_id, expires_at = excluded.expires_at
                WHERE l.expires_at <= @Now
                   OR EXISTS (SELECT 1 FROM authorizations p WHERE p.id = l.authorization_id AND p.status <> 0)
                RETURNING number),
            counted AS (UPDATE numbers SET used = used + 1 WHERE number IN (SELECT number FROM lease))
            SELECT count(*) FROM lease
            """,
            new { Number = a.AuthNumber.Value, Phone = a.UserPhone.Value, row.Id, ExpiresAt = Ms(a.ExpiresAt), Now = Ms(a.CreatedAt) },
            tx,
            ct)).ConfigureAwait(false);
        if (leased == 0)
        {
            // Disposing the transaction rolls back the charge and the insert together.
            return new CreateAuthorizationResult(null, CreateAuthorizationError.NumberTaken);
        }

        await NotifyAsync(c, tx, ChangeNotification.Authorizations(InstanceId, [row.Id]), ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new CreateAuthorizationResult(row.ToAuthorization(), CreateAuthorizationError.None);
    }

    public async Task<Authorization?> GetAuthorizationAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAuthorizationAsync(c, null, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Authorization?> GetAuthorizationByQrKeyAsync(string qrKey, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<AuthorizationRow>(Cmd($"SELECT {AuthorizationColumns} FROM authorizations WHERE qr_key = @qrKey", new { qrKey }, null, cancellationToken)).ConfigureAwait(false);
        return row?.ToAuthorization();
    }

    public async Task<IReadOnlyList<Authorization>> LoadWorkingSetAsync(DateTimeOffset finishedSince, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<AuthorizationRow>(Cmd(
            $"""
            SELECT {AuthorizationColumns} FROM authorizations WHERE status = 0
            UNION ALL
            SELECT {AuthorizationColumns} FROM authorizations WHERE status = 1 AND confirmed_at >= @since
            UNION ALL
            SELECT {AuthorizationColumns} FROM authorizations WHERE status = 2 AND expires_at >= @since
            ORDER BY id
            """,
            new { since = Ms(finishedSince) },
            null,
            cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAuthorization())];
    }

    public async Task<IReadOnlyList<Authorization>> ListAuthorizationsAsync(AuthorizationQuery query, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<AuthorizationRow>(Cmd(
            $"""
            SELECT {AuthorizationColumns} FROM authorizations
            WHERE (@Phone::text IS NULL OR user_phone = @Phone) AND (@TokenId::bigint IS NULL OR token_id = @TokenId)
              AND (@Status::integer IS NULL OR status = @Status) AND (@BeforeId::bigint IS NULL OR id < @BeforeId)
            ORDER BY id DESC LIMIT @Limit
            """,
            new { query.Phone, query.TokenId, Status = (int?)query.Status, query.BeforeId, Limit = Math.Clamp(query.Limit, 1, 1000) },
            null,
            cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAuthorization())];
    }

    /// <remarks>
    /// Besides the contract: a call proposed as unmatched (no live authorization, or a wrong caller) that
    /// does match a pending authorization in the database is confirmed. Matching reads the receiving node's
    /// memory, and an authorization created on another node reaches it only with the change feed, a few
    /// milliseconds later; the user must not have to call twice for that.
    /// </remarks>
    public async Task<CallRecordResult> RecordCallAsync(CallRecord record, CancellationToken cancellationToken = default)
    {
        var ct = cancellationToken;
        var call = record.Call;
        var now = Ms(record.ReceivedAt);
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);

        // The call_id key decides first: a retransmission reaching another node (a proxy failing over)
        // waits here for the first node's transaction and then finds its row, so it changes nothing.
        var logId = await c.ExecuteScalarAsync<long?>(Cmd(
            """
            INSERT INTO call_log (call_id, caller, called, source, received_at, outcome, authorization_id)
            VALUES (@CallId, @Caller, @Called, @Source, @now, @outcome, @AuthorizationId)
            ON CONFLICT (call_id) DO NOTHING RETURNING id
            """,
            new { call.CallId, Caller = call.Caller?.Value, Called = call.Called.Value, call.Source, now, outcome = record.ProposedOutcome.ToWire(), record.AuthorizationId },
            tx,
            ct)).ConfigureAwait(false);
        if (logId is null)
        {
            var earlier = await c.QuerySingleAsync<CallRow>(Cmd("SELECT * FROM call_log WHERE call_id = @CallId", new { call.CallId }, tx, ct)).ConfigureAwait(false);
            return new CallRecordResult(CallOutcomeNames.FromWire(earlier.Outcome), earlier.AuthorizationId, Repeated: true, Confirmed: null);
        }

        var outcome = record.ProposedOutcome;
        var authorizationId = record.AuthorizationId;
        if (outcome is CallOutcome.NoLiveAuthorization or CallOutcome.WrongCaller && call.Caller is { } caller)
        {
            // Matching read this node's memory, which learns of an authorization created on another node a
            // few milliseconds after its commit. A call in that window would be lost; the database knows.
            var live = await c.ExecuteScalarAsync<long?>(Cmd(
                "SELECT id FROM authorizations WHERE user_phone = @caller AND auth_number = @called AND status = 0 AND expires_at > @now ORDER BY id DESC LIMIT 1",
                new { caller = caller.Value, called = call.Called.Value, now },
                tx,
                ct)).ConfigureAwait(false);
            if (live is not null)
            {
                (outcome, authorizationId) = (CallOutcome.Matched, live);
            }
        }

        Authorization? confirmed = null;
        if (outcome == CallOutcome.Matched)
        {
            // The row lock makes racing confirmations (two calls, two nodes) queue; the second re-reads
            // status = 1 and updates nothing.
            var row = await c.QuerySingleOrDefaultAsync<AuthorizationRow>(Cmd(
                $"""
                UPDATE authorizations SET status = 1, confirmed_at = @now, confirmed_phone = @caller
                WHERE id = @id AND status = 0 AND expires_at > @now RETURNING {AuthorizationColumns}
                """,
                new { now, caller = call.Caller!.Value.Value, id = authorizationId },
                tx,
                ct)).ConfigureAwait(false);
            if (row is not null)
            {
                confirmed = row.ToAuthorization();
                if (confirmed.Webhook is not null)
                {
                    await InsertDeliveryAsync(c, tx, confirmed, success: true, confirmed.ConfirmedPhone!.Value.ContractPhone, record.ReceivedAt, ct).ConfigureAwait(false);
                }

                await NotifyAsync(c, tx, ChangeNotification.Authorizations(InstanceId, [confirmed.Id]), ct).ConfigureAwait(false);
            }
            else
            {
                // Lost a race with another call, or the clock passed expiry between matching and here.
                var current = await ReadAuthorizationAsync(c, tx, authorizationId!.Value, ct).ConfigureAwait(false);
                outcome = current?.StatusAt(record.ReceivedAt) == AuthorizationStatus.Ok ? CallOutcome.AlreadyConfirmed : CallOutcome.Expired;
            }
        }
        else if (outcome == CallOutcome.WrongCaller && record.OtherCallerHint is not null && record.WrongCallerAuthorizationIds.Count > 0)
        {
            var ids = record.WrongCallerAuthorizationIds.ToArray();
            await c.ExecuteAsync(Cmd("UPDATE authorizations SET other_caller = @hint WHERE id = ANY(@ids) AND status = 0", new { hint = record.OtherCallerHint, ids }, tx, ct)).ConfigureAwait(false);
            await NotifyAsync(c, tx, ChangeNotification.Authorizations(InstanceId, ids), ct).ConfigureAwait(false);
        }

        if (outcome != record.ProposedOutcome || authorizationId != record.AuthorizationId)
        {
            await c.ExecuteAsync(Cmd(
                "UPDATE call_log SET outcome = @outcome, authorization_id = @authorizationId WHERE id = @logId",
                new { outcome = outcome.ToWire(), authorizationId, logId },
                tx,
                ct)).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new CallRecordResult(outcome, authorizationId, Repeated: false, confirmed);
    }

    /// <remarks>
    /// Expiry is not announced to other nodes: every node already reads an overdue pending authorization
    /// as expired from its own clock (<see cref="Authorization.StatusAt"/>). SKIP LOCKED lets every node
    /// sweep at once without waiting on each other; each row is expired, and its notice queued, once.
    /// </remarks>
    public async Task<IReadOnlyList<Authorization>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ct = cancellationToken;
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<AuthorizationRow>(Cmd(
            $"""
            UPDATE authorizations SET status = 2
            WHERE id IN (SELECT id FROM authorizations WHERE status = 0 AND expires_at <= @now FOR UPDATE SKIP LOCKED)
            RETURNING {AuthorizationColumns}
            """,
            new { now = Ms(now) },
            tx,
            ct)).ConfigureAwait(false);
        var expired = rows.Select(r => r.ToAuthorization()).OrderBy(a => a.Id).ToList();
        foreach (var a in expired)
        {
            if (a.NotifyExpired && a.Webhook is not null)
            {
                await InsertDeliveryAsync(c, tx, a, success: false, "", now, ct).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return expired;
    }

    public async Task<IReadOnlyList<CallLogEntry>> ListCallsAsync(CallQuery query, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<CallRow>(Cmd(
            """
            SELECT * FROM call_log
            WHERE (@Phone::text IS NULL OR caller = @Phone OR called = @Phone) AND (@Outcome::text IS NULL OR outcome = @Outcome)
              AND (@BeforeId::bigint IS NULL OR id < @BeforeId)
            ORDER BY id DESC LIMIT @Limit
            """,
            new { query.Phone, Outcome = query.Outcome?.ToWire(), query.BeforeId, Limit = Math.Clamp(query.Limit, 1, 1000) },
            null,
            cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            var p = new { t = Ms(olderThan) };
            var n = await c.ExecuteAsync(Cmd("DELETE FROM authorizations WHERE status <> 0 AND COALESCE(confirmed_at, expires_at) < @t", p, tx, ct)).ConfigureAwait(false);
            n += await c.ExecuteAsync(Cmd("DELETE FROM leases WHERE expires_at < @t", p, tx, ct)).ConfigureAwait(false);
            n += await c.ExecuteAsync(Cmd("DELETE FROM call_log WHERE received_at < @t", p, tx, ct)).ConfigureAwait(false);
            n += await c.ExecuteAsync(Cmd("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_outbox WHERE status <> 0 AND completed_at < @t)", p, tx, ct)).ConfigureAwait(false);
            n += await c.ExecuteAsync(Cmd("DELETE FROM webhook_outbox WHERE status <> 0 AND completed_at < @t", p, tx, ct)).ConfigureAwait(false);
            return n;
        }, cancellationToken);
}
