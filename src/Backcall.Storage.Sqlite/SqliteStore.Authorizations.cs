using Backcall.Core.Authorizations;
using Backcall.Core.Phones;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Dapper;
using Microsoft.Data.Sqlite;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Sqlite;

/// <summary>Authorizations: creation with its charge and lease, look-ups, the working set, expiry.</summary>
public sealed partial class SqliteStore
{
    public async Task<CreateAuthorizationResult> CreateAuthorizationAsync(
        NewAuthorization a,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await _writer.WriteAsync(c => InsertAuthorization(c, a), cancellationToken).ConfigureAwait(false);
        }
        catch (LeaseTakenException)
        {
            // The write threw to roll back its charge, supersessions and insert; the caller picks another number.
            return new CreateAuthorizationResult(null, CreateAuthorizationError.NumberTaken);
        }
    }

    private static CreateAuthorizationResult InsertAuthorization(SqliteConnection c, NewAuthorization a)
    {
        var token = ReadToken(c, a.TokenId);
        if (token is null || token.Disabled)
        {
            return new CreateAuthorizationResult(null, CreateAuthorizationError.TokenDisabled);
        }

        if (QuotaRules.Charge(token) is not { } charge)
        {
            return new CreateAuthorizationResult(null, CreateAuthorizationError.QuotaExhausted);
        }

        var superseded = Supersede(c, a);
        c.Execute(
            "UPDATE tokens SET free_left = @FreeLeft, balance_cents = @Balance, used = used + 1 WHERE id = @Id",
            new { charge.FreeLeft, Balance = Cents(charge.Balance), token.Id });

        var id = c.ExecuteScalar<long>(
            """
            INSERT INTO authorizations (token_id, user_phone, auth_number, qr_key, created_at, expires_at, webhook,
                notify_expired)
            VALUES (@TokenId, @Phone, @Number, @QrKey, @CreatedAt, @ExpiresAt, @Webhook, @Notify) RETURNING id
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
                Notify = a.NotifyExpired ? 1 : 0,
            });

        // The lease row is the allocation guard: it can be taken over only once the holder expired. A lease
        // without phone (identify mode) and any other live lease of its number exclude each other.
        var leased = c.Execute(
            $"""
            INSERT INTO leases (number, user_phone, authorization_id, expires_at)
            SELECT @Number, @Phone, @id, @ExpiresAt
            WHERE NOT EXISTS (
                SELECT 1 FROM leases o
                WHERE o.number = @Number AND {SharedQueries.RivalLeases(a.UserPhone is null)}
                  AND o.expires_at > @Now AND EXISTS (SELECT 1 FROM authorizations p WHERE p.id = o.authorization_id
                      AND p.status = 0))
            ON CONFLICT (number, user_phone) DO UPDATE
                SET authorization_id = excluded.authorization_id, expires_at = excluded.expires_at
            WHERE leases.expires_at <= @Now
               OR NOT EXISTS (SELECT 1 FROM authorizations p WHERE p.id = leases.authorization_id AND p.status = 0)
            """,
            new
            {
                Number = a.AuthNumber.Value,
                Phone = a.UserPhone?.Value ?? AnyPhone,
                id,
                ExpiresAt = Ms(a.ExpiresAt),
                Now = Ms(a.CreatedAt),
            });
        if (leased == 0)
        {
            // Roll back the charge, the supersessions and the insert together.
            throw new LeaseTakenException();
        }

        c.Execute("UPDATE numbers SET used = used + 1 WHERE number = @n", new { n = a.AuthNumber.Value });
        return new CreateAuthorizationResult(Rows.Inserted(a, id), CreateAuthorizationError.None)
        {
            Superseded = superseded,
        };
    }

    /// <summary>
    /// Ends the pending authorizations the new one replaces (same token, same phone) and frees their leases.
    /// </summary>
    private static List<Authorization> Supersede(SqliteConnection c, NewAuthorization a)
    {
        if (a.Supersedes.Count == 0)
        {
            return [];
        }

        var rows = c.Query<AuthorizationRow>(
                $"""
                UPDATE authorizations SET status = 2, expires_at = @now
                WHERE id IN @ids AND status = 0 AND token_id = @TokenId AND user_phone = @phone
                RETURNING {AuthorizationColumns}
                """,
                new
                {
                    now = Ms(a.CreatedAt),
                    ids = a.Supersedes,
                    a.TokenId,
                    phone = a.UserPhone?.Value ?? AnyPhone,
                })
            .ToList();
        c.Execute("DELETE FROM leases WHERE authorization_id IN @ids", new { ids = rows.Select(r => r.Id) });
        return [.. rows.Select(r => r.ToAuthorization()).OrderBy(x => x.Id)];
    }

    public async Task<Authorization?> GetAuthorizationAsync(long id, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var row = await c.QuerySingleOrDefaultAsync<AuthorizationRow>(SelectAuthorization, new { id })
            .ConfigureAwait(false);
        return row?.ToAuthorization();
    }

    public Task<Authorization?> GetAuthorizationByQrKeyAsync(
        string qrKey,
        CancellationToken cancellationToken = default)
    {
        // Every QR image reads it (memory keeps no map by key): a kept statement on a kept reader.
        using var reader = _readers.Rent();
        var row = reader.Connection.Prepared(
                $"SELECT {AuthorizationColumns} FROM authorizations WHERE qr_key = @qrKey",
                ("@qrKey", qrKey))
            .QueryRow(SqliteRows.Authorization);
        return Task.FromResult(row?.ToAuthorization());
    }

    public Task<CallCandidates> FindCallCandidatesAsync(
        E164Phone called,
        E164Phone caller,
        CancellationToken cancellationToken = default)
    {
        using var reader = _readers.Rent();
        var rows = reader.Connection.Prepared(
                SharedQueries.CallCandidates,
                ("@caller", caller.Value),
                ("@called", called.Value))
            .QueryRows(SqliteRows.Authorization);
        return Task.FromResult(ToCallCandidates(rows));
    }

    public async Task<IReadOnlyList<Authorization>> LoadWorkingSetAsync(
        DateTimeOffset finishedSince,
        CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var since = Ms(finishedSince);
        var rows = await c.QueryAsync<AuthorizationRow>(
            $"""
            SELECT {AuthorizationColumns} FROM authorizations WHERE status = 0
            UNION ALL
            SELECT {AuthorizationColumns} FROM authorizations WHERE status = 1 AND confirmed_at >= @since
            UNION ALL
            SELECT {AuthorizationColumns} FROM authorizations WHERE status = 2 AND expires_at >= @since
            ORDER BY id
            """,
            new { since }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAuthorization())];
    }

    public async Task<IReadOnlyList<Authorization>> ListAuthorizationsAsync(
        AuthorizationQuery query,
        CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<AuthorizationRow>(
            $"""
            SELECT {AuthorizationColumns} FROM authorizations
            WHERE (@Phone IS NULL OR user_phone = @Phone) AND (@TokenId IS NULL OR token_id = @TokenId)
              AND (@Status IS NULL OR status = @Status) AND (@BeforeId IS NULL OR id < @BeforeId)
              AND (@Since IS NULL OR created_at >= @Since) AND (@Until IS NULL OR created_at < @Until)
            ORDER BY id DESC LIMIT @Limit
            """,
            SharedQueries.AuthorizationList(query)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAuthorization())];
    }

    public Task<IReadOnlyList<Authorization>> ExpireAsync(
        IReadOnlyList<Expiration> expirations,
        CancellationToken cancellationToken = default) =>
        _writer.WriteAsync<IReadOnlyList<Authorization>>(c =>
        {
            var expired = new List<Authorization>();
            foreach (var e in expirations)
            {
                var row = c.QuerySingleOrDefault<AuthorizationRow>(
                    "UPDATE authorizations SET status = 2 WHERE id = @id AND status = 0 "
                        + $"RETURNING {AuthorizationColumns}",
                    new { id = e.AuthorizationId });
                if (row is null)
                {
                    continue;
                }

                var a = row.ToAuthorization();
                expired.Add(a);
                if (e.Notice is { } notice)
                {
                    InsertDelivery(c, a, notice);
                }
            }

            return expired;
        }, cancellationToken);

    private const string SelectAuthorization = $"SELECT {AuthorizationColumns} FROM authorizations WHERE id = @id";

    /// <summary>An authorization as the writer's transaction sees it.</summary>
    private static Authorization? ReadAuthorization(SqliteConnection writer, long id) =>
        writer.Prepared(SelectAuthorization, ("@id", id))
            .QueryRow(SqliteRows.Authorization)?.ToAuthorization();

    private sealed class LeaseTakenException : Exception;
}
