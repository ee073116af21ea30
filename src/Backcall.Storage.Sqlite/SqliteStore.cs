using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;
using Dapper;
using Microsoft.Data.Sqlite;
using static Backcall.Storage.ColumnValues;
using static Backcall.Storage.Rows;

namespace Backcall.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes go through <see cref="SqliteWriter"/> (group
/// commit, synchronous=FULL, so an answered write survives kill -9 and power loss); reads use their own
/// pooled connections and never wait for the writer.
/// </summary>
public sealed partial class SqliteStore : IBackcallStore
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writeConnection;
    private readonly SqliteWriter _writer;
    private readonly SqliteCheckpointer _checkpointer;
    private int _disposed;

    static SqliteStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public SqliteStore(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        DatabasePath = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        _writeConnection = Open();
        Pragma(_writeConnection, "journal_mode = WAL");
        Pragma(_writeConnection, "synchronous = FULL");
        Pragma(_writeConnection, "wal_autocheckpoint = 0");
        _writer = new SqliteWriter(_writeConnection);
        _checkpointer = new SqliteCheckpointer(Open);
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    public Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        // Migrations run their own transactions, so not through the writer; at start-up nothing else writes.
        using var c = Open();
        return Task.FromResult(SqliteMigrator.Migrate(c));
    }

    public async Task<long> GetCatalogVersionAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        return await c.ExecuteScalarAsync<long>("SELECT value FROM meta WHERE key = 'catalog_version'").ConfigureAwait(false);
    }

    // Tokens

    public Task<Token> CreateTokenAsync(NewToken token, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var id = c.ExecuteScalar<long>(
                """
                INSERT INTO tokens (name, hash, prefix, created_at, price_cents, balance_limit_cents, free_left, webhook_secret, notify_expired)
                VALUES (@Name, @Hash, @Prefix, @CreatedAt, @Price, @Limit, @Free, @Secret, @Notify) RETURNING id
                """,
                new { token.Name, token.Hash, token.Prefix, CreatedAt = Ms(token.CreatedAt), Price = Cents(token.Price), Limit = Cents(token.BalanceLimit), Free = token.FreeRequests, Secret = token.WebhookSecret, Notify = token.NotifyExpired ? 1 : 0 });
            BumpCatalog(c);
            return ReadToken(c, id)!;
        }, cancellationToken);

    public async Task<IReadOnlyList<Token>> ListTokensAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<TokenRow>("SELECT * FROM tokens ORDER BY id").ConfigureAwait(false);
        return [.. rows.Select(r => r.ToToken())];
    }

    public async Task<Token?> GetTokenAsync(long id, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        return ReadToken(c, id);
    }

    public Task<Token?> UpdateTokenAsync(long id, TokenChange change, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var n = c.Execute(
                """
                UPDATE tokens SET
                    disabled = COALESCE(@Disabled, disabled),
                    balance_cents = balance_cents + COALESCE(@TopUp, 0),
                    price_cents = COALESCE(@Price, price_cents),
                    balance_limit_cents = COALESCE(@Limit, balance_limit_cents),
                    free_left = COALESCE(@Free, free_left),
                    notify_expired = COALESCE(@Notify, notify_expired),
                    previous_webhook_secret = CASE WHEN @Secret IS NULL THEN previous_webhook_secret ELSE webhook_secret END,
                    previous_secret_expires_at = CASE WHEN @Secret IS NULL THEN previous_secret_expires_at ELSE @PreviousUntil END,
                    webhook_secret = COALESCE(@Secret, webhook_secret)
                WHERE id = @id
                """,
                new
                {
                    id,
                    Disabled = change.Disabled is null ? (int?)null : change.Disabled.Value ? 1 : 0,
                    TopUp = Cents(change.TopUp),
                    Price = Cents(change.Price),
                    Limit = Cents(change.BalanceLimit),
                    Free = change.FreeLeft,
                    Notify = change.NotifyExpired is null ? (int?)null : change.NotifyExpired.Value ? 1 : 0,
                    Secret = change.NewWebhookSecret,
                    PreviousUntil = Ms(change.PreviousSecretExpiresAt),
                });
            if (n == 0)
            {
                return null;
            }

            BumpCatalog(c);
            return ReadToken(c, id);
        }, cancellationToken);

    // Numbers

    public Task<bool> AddNumberAsync(E164Phone number, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var added = c.Execute("INSERT INTO numbers (number, added_at) VALUES (@n, @t) ON CONFLICT (number) DO NOTHING", new { n = number.Value, t = Ms(now) }) == 1;
            BumpCatalog(c);
            return added;
        }, cancellationToken);

    public async Task<IReadOnlyList<PoolNumber>> ListNumbersAsync(CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<(string Number, long Enabled, long AddedAt, long Used)>("SELECT number, enabled, added_at, used FROM numbers ORDER BY number").ConfigureAwait(false);
        return [.. rows.Select(r => new PoolNumber(new E164Phone(r.Number), r.Enabled != 0, Time(r.AddedAt), r.Used))];
    }

    public Task<bool> SetNumberEnabledAsync(E164Phone number, bool enabled, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var found = c.Execute("UPDATE numbers SET enabled = @e WHERE number = @n", new { n = number.Value, e = enabled ? 1 : 0 }) == 1;
            BumpCatalog(c);
            return found;
        }, cancellationToken);

    public Task<bool> RemoveNumberAsync(E164Phone number, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var found = c.Execute("DELETE FROM numbers WHERE number = @n", new { n = number.Value }) == 1;
            BumpCatalog(c);
            return found;
        }, cancellationToken);

    // Authorizations

    public async Task<CreateAuthorizationResult> CreateAuthorizationAsync(NewAuthorization a, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _writer.WriteAsync(c => InsertAuthorization(c, a), cancellationToken).ConfigureAwait(false);
        }
        catch (LeaseTakenException)
        {
            // The write threw to roll back its charge and insert; the caller picks another number.
            return new CreateAuthorizationResult(null, CreateAuthorizationError.NumberTaken);
        }
    }

    private static CreateAuthorizationResult InsertAuthorization(SqliteConnection c, NewAuthorization a)
    {
        var charge = Charge(c, a.TokenId);
        if (charge != CreateAuthorizationError.None)
        {
            return new CreateAuthorizationResult(null, charge);
        }

        var id = c.ExecuteScalar<long>(
            """
                INSERT INTO authorizations (token_id, user_phone, auth_number, qr_key, created_at, expires_at, webhook, notify_expired)
                VALUES (@TokenId, @Phone, @Number, @QrKey, @CreatedAt, @ExpiresAt, @Webhook, @Notify) RETURNING id
                """,
            new { a.TokenId, Phone = a.UserPhone.Value, Number = a.AuthNumber.Value, a.QrKey, CreatedAt = Ms(a.CreatedAt), ExpiresAt = Ms(a.ExpiresAt), a.Webhook, Notify = a.NotifyExpired ? 1 : 0 });

        // The lease row is the allocation guard: it can be taken over only once the holder expired.
        var leased = c.Execute(
            """
                INSERT INTO leases (number, user_phone, authorization_id, expires_at) VALUES (@Number, @Phone, @id, @ExpiresAt)
                ON CONFLICT (number, user_phone) DO UPDATE SET authorization_id = excluded.authorization_id, expires_at = excluded.expires_at
                WHERE leases.expires_at <= @Now
                   OR NOT EXISTS (SELECT 1 FROM authorizations p WHERE p.id = leases.authorization_id AND p.status = 0)
                """,
            new { Number = a.AuthNumber.Value, Phone = a.UserPhone.Value, id, ExpiresAt = Ms(a.ExpiresAt), Now = Ms(a.CreatedAt) });
        if (leased == 0)
        {
            // Roll back the charge and the insert together.
            throw new LeaseTakenException();
        }

        c.Execute("UPDATE numbers SET used = used + 1 WHERE number = @n", new { n = a.AuthNumber.Value });
        return new CreateAuthorizationResult(ReadAuthorization(c, id), CreateAuthorizationError.None);
    }

    public async Task<Authorization?> GetAuthorizationAsync(long id, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        return ReadAuthorization(c, id);
    }

    public async Task<Authorization?> GetAuthorizationByQrKeyAsync(string qrKey, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var row = await c.QuerySingleOrDefaultAsync<AuthorizationRow>($"SELECT {AuthorizationColumns} FROM authorizations WHERE qr_key = @qrKey", new { qrKey }).ConfigureAwait(false);
        return row?.ToAuthorization();
    }

    public async Task<IReadOnlyList<Authorization>> LoadWorkingSetAsync(DateTimeOffset finishedSince, CancellationToken cancellationToken = default)
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

    public async Task<IReadOnlyList<Authorization>> ListAuthorizationsAsync(AuthorizationQuery query, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<AuthorizationRow>(
            $"""
            SELECT {AuthorizationColumns} FROM authorizations
            WHERE (@Phone IS NULL OR user_phone = @Phone) AND (@TokenId IS NULL OR token_id = @TokenId)
              AND (@Status IS NULL OR status = @Status) AND (@BeforeId IS NULL OR id < @BeforeId)
            ORDER BY id DESC LIMIT @Limit
            """,
            new { query.Phone, query.TokenId, Status = (int?)query.Status, query.BeforeId, Limit = Math.Clamp(query.Limit, 1, 1000) }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAuthorization())];
    }

    public Task<CallRecordResult> RecordCallAsync(CallRecord record, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var call = record.Call;
            var earlier = c.QuerySingleOrDefault<CallRow>("SELECT * FROM call_log WHERE call_id = @CallId", new { call.CallId });
            if (earlier is not null)
            {
                return new CallRecordResult(CallOutcomeNames.FromWire(earlier.Outcome), earlier.AuthorizationId, Repeated: true, Confirmed: null);
            }

            var now = Ms(record.ReceivedAt);
            var outcome = record.ProposedOutcome;
            Authorization? confirmed = null;
            if (outcome == CallOutcome.Matched)
            {
                var n = c.Execute(
                    "UPDATE authorizations SET status = 1, confirmed_at = @now, confirmed_phone = @caller WHERE id = @id AND status = 0 AND expires_at > @now",
                    new { now, caller = call.Caller!.Value.Value, id = record.AuthorizationId });
                if (n == 1)
                {
                    confirmed = ReadAuthorization(c, record.AuthorizationId!.Value)!;
                    if (confirmed.Webhook is not null)
                    {
                        InsertDelivery(c, confirmed, success: true, confirmed.ConfirmedPhone!.Value.ContractPhone, record.ReceivedAt);
                    }
                }
                else
                {
                    // Lost a race with another call, or the clock passed expiry between matching and here.
                    var current = ReadAuthorization(c, record.AuthorizationId!.Value);
                    outcome = current?.StatusAt(record.ReceivedAt) == AuthorizationStatus.Ok ? CallOutcome.AlreadyConfirmed : CallOutcome.Expired;
                }
            }
            else if (outcome == CallOutcome.WrongCaller && record.OtherCallerHint is not null)
            {
                c.Execute("UPDATE authorizations SET other_caller = @hint WHERE id IN @ids AND status = 0", new { hint = record.OtherCallerHint, ids = record.WrongCallerAuthorizationIds });
            }

            c.Execute(
                "INSERT INTO call_log (call_id, caller, called, source, received_at, outcome, authorization_id) VALUES (@CallId, @Caller, @Called, @Source, @now, @outcome, @AuthorizationId)",
                new { call.CallId, Caller = call.Caller?.Value, Called = call.Called.Value, call.Source, now, outcome = outcome.ToWire(), record.AuthorizationId });
            return new CallRecordResult(outcome, record.AuthorizationId, Repeated: false, confirmed);
        }, cancellationToken);

    public Task<IReadOnlyList<Authorization>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync<IReadOnlyList<Authorization>>(c =>
        {
            var rows = c.Query<AuthorizationRow>(
                $"UPDATE authorizations SET status = 2 WHERE status = 0 AND expires_at <= @now RETURNING {AuthorizationColumns}",
                new { now = Ms(now) }).ToList();
            var expired = rows.Select(r => r.ToAuthorization()).ToList();
            foreach (var a in expired)
            {
                if (a.NotifyExpired && a.Webhook is not null)
                {
                    InsertDelivery(c, a, success: false, "", now);
                }
            }

            return expired;
        }, cancellationToken);

    public async Task<IReadOnlyList<CallLogEntry>> ListCallsAsync(CallQuery query, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<CallRow>(
            """
            SELECT * FROM call_log
            WHERE (@Phone IS NULL OR caller = @Phone OR called = @Phone) AND (@Outcome IS NULL OR outcome = @Outcome)
              AND (@BeforeId IS NULL OR id < @BeforeId)
            ORDER BY id DESC LIMIT @Limit
            """,
            new { query.Phone, Outcome = query.Outcome?.ToWire(), query.BeforeId, Limit = Math.Clamp(query.Limit, 1, 1000) }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToEntry())];
    }

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            var t = Ms(olderThan);
            var n = c.Execute("DELETE FROM authorizations WHERE status <> 0 AND COALESCE(confirmed_at, expires_at) < @t", new { t });
            n += c.Execute("DELETE FROM leases WHERE expires_at < @t", new { t });
            n += c.Execute("DELETE FROM call_log WHERE received_at < @t", new { t });
            n += c.Execute("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_outbox WHERE status <> 0 AND completed_at < @t)", new { t });
            n += c.Execute("DELETE FROM webhook_outbox WHERE status <> 0 AND completed_at < @t", new { t });
            return n;
        }, cancellationToken);

    // Webhook outbox

    public Task<IReadOnlyList<WebhookDelivery>> ClaimDueDeliveriesAsync(string node, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, IReadOnlyCollection<string>? skipHosts = null, CancellationToken cancellationToken = default) =>
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

    public Task<int> ReleaseDeliveryClaimsAsync(string node, IReadOnlyCollection<string> deliveryIds, CancellationToken cancellationToken = default) =>
        deliveryIds.Count == 0
            ? Task.FromResult(0)
            : _writer.WriteAsync(c => c.Execute(
                "UPDATE webhook_outbox SET claimed_by = NULL, claimed_until = NULL WHERE id IN @ids AND claimed_by = @node AND status = 0",
                new { ids = deliveryIds, node }), cancellationToken);

    public Task RecordDeliveryAttemptAsync(DeliveryAttempt attempt, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c =>
        {
            c.Execute(
                "INSERT INTO webhook_attempts (delivery_id, at, http_status, error, latency_ms) VALUES (@DeliveryId, @At, @HttpStatus, @Error, @Latency)",
                new { attempt.DeliveryId, At = Ms(attempt.At), attempt.HttpStatus, attempt.Error, Latency = attempt.Latency.TotalMilliseconds });
            return c.Execute(
                """
                UPDATE webhook_outbox SET attempts = attempts + 1, status = @Status, last_error = @Error,
                    next_attempt_at = COALESCE(@Next, next_attempt_at), completed_at = CASE WHEN @Status = 0 THEN NULL ELSE @At END,
                    claimed_by = NULL, claimed_until = NULL
                WHERE id = @DeliveryId
                """,
                new { attempt.DeliveryId, Status = (int)attempt.NewStatus, attempt.Error, Next = Ms(attempt.NextAttemptAt), At = Ms(attempt.At) });
        }, cancellationToken);

    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<DeliveryRow>(
            """
            SELECT * FROM webhook_outbox WHERE (@Status IS NULL OR status = @Status) AND (@AuthorizationId IS NULL OR authorization_id = @AuthorizationId)
            ORDER BY created_at DESC LIMIT @Limit
            """,
            new { Status = (int?)query.Status, query.AuthorizationId, Limit = Math.Clamp(query.Limit, 1, 1000) }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToDelivery())];
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> ListDeliveryAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var rows = await c.QueryAsync<AttemptRow>("SELECT delivery_id, at, http_status, error, latency_ms FROM webhook_attempts WHERE delivery_id = @deliveryId ORDER BY id", new { deliveryId }).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToAttempt())];
    }

    public Task<bool> RetryDeliveryAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(c => c.Execute(
            "UPDATE webhook_outbox SET status = 0, next_attempt_at = @now, completed_at = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = @deliveryId",
            new { deliveryId, now = Ms(now) }) == 1, cancellationToken);

    public async Task<StoreStatistics> GetStatisticsAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        using var c = Open();
        var s = Ms(since);
        var a = await c.QuerySingleAsync<(long Created, long Confirmed, long Expired)>(
            "SELECT COUNT(*), COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 2), 0) FROM authorizations WHERE created_at >= @s", new { s }).ConfigureAwait(false);
        var calls = await c.QuerySingleAsync<(long Matched, long Unmatched)>(
            "SELECT COALESCE(SUM(outcome = 'matched'), 0), COALESCE(SUM(outcome <> 'matched'), 0) FROM call_log WHERE received_at >= @s", new { s }).ConfigureAwait(false);
        var w = await c.QuerySingleAsync<(long Delivered, long Failed, long Pending)>(
            "SELECT COALESCE(SUM(status = 1), 0), COALESCE(SUM(status = 2), 0), COALESCE(SUM(status = 0), 0) FROM webhook_outbox WHERE created_at >= @s", new { s }).ConfigureAwait(false);
        return new StoreStatistics(a.Created, a.Confirmed, a.Expired, calls.Matched, calls.Unmatched, w.Delivered, w.Failed, w.Pending);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _writeConnection.DisposeAsync().ConfigureAwait(false);
    }

    private static CreateAuthorizationError Charge(SqliteConnection c, long tokenId)
    {
        var free = c.Execute("UPDATE tokens SET free_left = free_left - 1, used = used + 1 WHERE id = @tokenId AND disabled = 0 AND free_left > 0", new { tokenId });
        if (free == 1)
        {
            return CreateAuthorizationError.None;
        }

        var paid = c.Execute(
            "UPDATE tokens SET balance_cents = balance_cents - price_cents, used = used + 1 WHERE id = @tokenId AND disabled = 0 AND balance_cents - price_cents >= -balance_limit_cents",
            new { tokenId });
        if (paid == 1)
        {
            return CreateAuthorizationError.None;
        }

        var disabled = c.ExecuteScalar<long?>("SELECT disabled FROM tokens WHERE id = @tokenId", new { tokenId });
        return disabled is null or 1 ? CreateAuthorizationError.TokenDisabled : CreateAuthorizationError.QuotaExhausted;
    }

    private static void InsertDelivery(SqliteConnection c, Authorization a, bool success, string phone, DateTimeOffset now) =>
        c.Execute(
            "INSERT INTO webhook_outbox (id, authorization_id, token_id, url, host, success, phone, created_at, next_attempt_at) VALUES (@id, @aid, @tid, @url, @host, @success, @phone, @now, @now)",
            new { id = DeliveryIds.New(), aid = a.Id, tid = a.TokenId, url = a.Webhook, host = WebhookHost.Of(a.Webhook!), success = success ? 1 : 0, phone, now = Ms(now) });

    private static void BumpCatalog(SqliteConnection c) =>
        c.Execute("UPDATE meta SET value = value + 1 WHERE key = 'catalog_version'");

    private static Token? ReadToken(SqliteConnection c, long id) =>
        c.QuerySingleOrDefault<TokenRow>("SELECT * FROM tokens WHERE id = @id", new { id })?.ToToken();

    private static Authorization? ReadAuthorization(SqliteConnection c, long id) =>
        c.QuerySingleOrDefault<AuthorizationRow>($"SELECT {AuthorizationColumns} FROM authorizations WHERE id = @id", new { id })?.ToAuthorization();

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    private static void Pragma(SqliteConnection c, string pragma) => c.Execute("PRAGMA " + pragma);

    private sealed class LeaseTakenException : Exception;
}
