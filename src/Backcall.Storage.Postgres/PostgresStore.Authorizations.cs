using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Dapper;
using Npgsql;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Postgres;

public sealed partial class PostgresStore
{
    public async Task<CreateAuthorizationResult> CreateAuthorizationAsync(
        NewAuthorization a,
        CancellationToken cancellationToken = default)
    {
        var ct = cancellationToken;
        await using var c = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);

        // The token row stays locked until the commit, so concurrent creations on one token queue here
        // across nodes, and each charges what the one before it left: the quota cannot be overdrawn.
        var token = (
            await c.QuerySingleOrDefaultAsync<TokenRow>(
                    Cmd("SELECT * FROM tokens WHERE id = @TokenId FOR UPDATE", new { a.TokenId }, tx, ct))
                .ConfigureAwait(false))?.ToToken();
        if (token is null || token.Disabled)
        {
            return new CreateAuthorizationResult(null, CreateAuthorizationError.TokenDisabled);
        }

        if (QuotaRules.Charge(token) is not { } charge)
        {
            return new CreateAuthorizationResult(null, CreateAuthorizationError.QuotaExhausted);
        }

        var superseded = await SupersedeAsync(c, tx, a, ct).ConfigureAwait(false);
        await c.ExecuteAsync(
                Cmd(
                    "UPDATE tokens SET free_left = @FreeLeft, balance_cents = @Balance, used = used + 1 WHERE id = @Id",
                    new
                    {
                        charge.FreeLeft,
                        Balance = Cents(charge.Balance),
                        token.Id,
                    },
                    tx,
                    ct))
            .ConfigureAwait(false);

        var id = await c.ExecuteScalarAsync<long>(
                Cmd(
                    """
                    INSERT INTO authorizations (token_id, user_phone, auth_number, qr_key, created_at, expires_at,
                        webhook, notify_expired)
                    VALUES (@TokenId, @Phone, @Number, @QrKey, @CreatedAt, @ExpiresAt, @Webhook, @NotifyExpired)
                        RETURNING id
                    """,
                    new
                    {
                        a.TokenId,
                        Phone = a.UserPhone?.Value ?? AnyPhone,
                        Number = a.AuthNumber.Value,
                        a.QrKey,
                        CreatedAt = Ms(a.CreatedAt),
                        ExpiresAt = Ms(a.ExpiresAt),
                        a.Webhook,
                        a.NotifyExpired,
                    },
                    tx,
                    ct))
            .ConfigureAwait(false);

        // A lease without phone (identify mode) and any other live lease of its number exclude each other.
        // Two nodes leasing different pairs of one number do not conflict on the key, so the number's row is
        // locked first: the second waits for the first's commit, and its next statement's snapshot sees it.
        await c.ExecuteAsync(
                Cmd(
                    "SELECT 1 FROM numbers WHERE number = @Number FOR UPDATE",
                    new { Number = a.AuthNumber.Value },
                    tx,
                    ct))
            .ConfigureAwait(false);

        // The lease row is the allocation guard. On a conflict PostgreSQL waits for the other transaction
        // and evaluates the WHERE on the row it committed, so of two nodes racing for one pair exactly one
        // wins. The holder is taken over only when it visibly finished: a holder this statement's snapshot
        // cannot see yet counts as live (EXISTS ... status <> 0 is false), which errs on the safe side.
        var leased = await c.ExecuteScalarAsync<long>(
                Cmd(
                    $"""
                    WITH lease AS (
                        INSERT INTO leases AS l (number, user_phone, authorization_id, expires_at)
                        SELECT @Number, @Phone, @Id, @ExpiresAt
                        WHERE NOT EXISTS (
                            SELECT 1 FROM leases o
                            WHERE o.number = @Number AND {SharedQueries.RivalLeases(a.UserPhone is null)}
                              AND o.expires_at > @Now
                              AND NOT EXISTS (SELECT 1 FROM authorizations p WHERE p.id = o.authorization_id
                                  AND p.status <> 0))
                        ON CONFLICT (number, user_phone) DO UPDATE
                            SET authorization_id = excluded.authorization_id, expires_at = excluded.expires_at
                        WHERE l.expires_at <= @Now
                           OR EXISTS (SELECT 1 FROM authorizations p WHERE p.id = l.authorization_id AND p.status <> 0)
                        RETURNING number),
                    counted AS (UPDATE numbers SET used = used + 1 WHERE number IN (SELECT number FROM lease))
                    SELECT count(*) FROM lease
                    """,
                    new
                    {
                        Number = a.AuthNumber.Value,
                        Phone = a.UserPhone?.Value ?? AnyPhone,
                        Id = id,
                        ExpiresAt = Ms(a.ExpiresAt),
                        Now = Ms(a.CreatedAt),
                    },
                    tx,
                    ct))
            .ConfigureAwait(false);
        if (leased == 0)
        {
            // Disposing the transaction rolls back the charge and the insert together.
            return new CreateAuthorizationResult(null, CreateAuthorizationError.NumberTaken);
        }

        await NotifyAsync(
                c,
                tx,
                ChangeNotification.Authorizations(InstanceId, [id, .. superseded.Select(x => x.Id)]),
                ct)
            .ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new CreateAuthorizationResult(Rows.Inserted(a, id), CreateAuthorizationError.None)
        {
            Superseded = superseded,
        };
    }

    /// <summary>
    /// Ends the pending authorizations the new one replaces (same token, same phone) and frees their leases.
    /// </summary>
    private static async Task<List<Authorization>> SupersedeAsync(
        NpgsqlConnection c,
        NpgsqlTransaction tx,
        NewAuthorization a,
        CancellationToken ct)
    {
        if (a.Supersedes.Count == 0)
        {
            return [];
        }

        var rows = (
            await c.QueryAsync<AuthorizationRow>(
                    Cmd(
                        $"""
                        UPDATE authorizations SET status = 2, expires_at = @now
                        WHERE id = ANY(@ids) AND status = 0 AND token_id = @TokenId AND user_phone = @phone
                        RETURNING {AuthorizationColumns}
                        """,
                        new
                        {
                            now = Ms(a.CreatedAt),
                            ids = a.Supersedes.ToArray(),
                            a.TokenId,
                            phone = a.UserPhone?.Value ?? AnyPhone,
                        },
                        tx,
                        ct))
                .ConfigureAwait(false)).ToList();
        await c.ExecuteAsync(
                Cmd(
                    "DELETE FROM leases WHERE authorization_id = ANY(@ids)",
                    new { ids = rows.Select(r => r.Id).ToArray() },
                    tx,
                    ct))
            .ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAuthorization()).OrderBy(x => x.Id)];
    }

    public async Task<Authorization?> GetAuthorizationAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAuthorizationAsync(c, null, id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Authorization?> GetAuthorizationByQrKeyAsync(
        string qrKey,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await c.QuerySingleOrDefaultAsync<AuthorizationRow>(
                Cmd(
                    $"SELECT {AuthorizationColumns} FROM authorizations WHERE qr_key = @qrKey",
                    new { qrKey },
                    null,
                    cancellationToken))
            .ConfigureAwait(false);
        return row?.ToAuthorization();
    }

    public async Task<CallCandidates> FindCallCandidatesAsync(
        E164Phone called,
        E164Phone caller,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<AuthorizationRow>(Cmd(
            SharedQueries.CallCandidates,
            new { caller = caller.Value, called = called.Value },
            null,
            cancellationToken)).ConfigureAwait(false);
        return ToCallCandidates(rows);
    }

    public async Task<IReadOnlyList<Authorization>> LoadWorkingSetAsync(
        DateTimeOffset finishedSince,
        CancellationToken cancellationToken = default)
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

    public async Task<IReadOnlyList<Authorization>> ListAuthorizationsAsync(
        AuthorizationQuery query,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await c.QueryAsync<AuthorizationRow>(Cmd(
            $"""
            SELECT {AuthorizationColumns} FROM authorizations
            WHERE (@Phone::text IS NULL OR user_phone = @Phone) AND (@TokenId::bigint IS NULL OR token_id = @TokenId)
              AND (@Status::integer IS NULL OR status = @Status) AND (@BeforeId::bigint IS NULL OR id < @BeforeId)
              AND (@Since::bigint IS NULL OR created_at >= @Since) AND (@Until::bigint IS NULL OR created_at < @Until)
            ORDER BY id DESC LIMIT @Limit
            """,
            SharedQueries.AuthorizationList(query),
            null,
            cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAuthorization())];
    }

    /// <remarks>
    /// Expiry is not announced to other nodes: every node already reads an overdue pending authorization
    /// as expired from its own clock (<see cref="Authorization.StatusAt"/>). Each row is expired, and its
    /// notice queued, once: a node racing another waits on the row lock and then finds it no longer pending.
    /// </remarks>
    public Task<IReadOnlyList<Authorization>> ExpireAsync(
        IReadOnlyList<Expiration> expirations,
        CancellationToken cancellationToken = default) =>
        InTransactionAsync<IReadOnlyList<Authorization>>(async (c, tx, ct) =>
        {
            var expired = new List<Authorization>();
            foreach (var e in expirations)
            {
                var row = await c.QuerySingleOrDefaultAsync<AuthorizationRow>(
                        Cmd(
                            "UPDATE authorizations SET status = 2 WHERE id = @id AND status = 0 "
                                + $"RETURNING {AuthorizationColumns}",
                            new { id = e.AuthorizationId },
                            tx,
                            ct))
                    .ConfigureAwait(false);
                if (row is null)
                {
                    continue;
                }

                var a = row.ToAuthorization();
                expired.Add(a);
                if (e.Notice is { } notice)
                {
                    await InsertDeliveryAsync(c, tx, a, notice, ct).ConfigureAwait(false);
                }
            }

            return expired;
        }, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (c, tx, ct) =>
        {
            var p = new { t = Ms(olderThan) };
            var n = await c.ExecuteAsync(
                    Cmd(
                        "DELETE FROM authorizations WHERE status <> 0 AND COALESCE(confirmed_at, expires_at) < @t",
                        p,
                        tx,
                        ct))
                .ConfigureAwait(false);
            n += await c.ExecuteAsync(Cmd("DELETE FROM leases WHERE expires_at < @t", p, tx, ct))
                .ConfigureAwait(false);
            n += await c.ExecuteAsync(Cmd("DELETE FROM call_log WHERE received_at < @t", p, tx, ct))
                .ConfigureAwait(false);
            n += await c.ExecuteAsync(
                    Cmd(
                        "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_outbox "
                            + "WHERE status <> 0 AND completed_at < @t)",
                        p,
                        tx,
                        ct))
                .ConfigureAwait(false);
            n += await c.ExecuteAsync(
                    Cmd("DELETE FROM webhook_outbox WHERE status <> 0 AND completed_at < @t", p, tx, ct))
                .ConfigureAwait(false);
            n += await c.ExecuteAsync(Cmd("DELETE FROM signin_redeemed WHERE keep_until < @t", p, tx, ct))
                .ConfigureAwait(false);
            return n;
        }, cancellationToken);
}
