using Backcall.Core.Calls;
using Backcall.Core.SignIn;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using static Backcall.Storage.ColumnValues;

namespace Backcall.Storage;

/// <summary>
/// The statements and parameters both stores share word for word, so a new filter or column is added in one place.
/// </summary>
/// <remarks>
/// Flags stay <c>bool</c>: PostgreSQL binds them as boolean, and SQLite stores them as the integers 0 and 1.
/// </remarks>
internal static class SharedQueries
{
    /// <summary>The most rows one list query returns, whatever the caller asked for.</summary>
    public const int MaxListRows = 1000;

    /// <summary>Applies a <see cref="TokenChange"/>: a new webhook secret keeps the old one as the previous.</summary>
    public const string UpdateToken = """
        UPDATE tokens SET
            disabled = COALESCE(@Disabled, disabled),
            balance_cents = balance_cents + COALESCE(@TopUp, 0),
            price_cents = COALESCE(@Price, price_cents),
            balance_limit_cents = COALESCE(@Limit, balance_limit_cents),
            free_left = COALESCE(@Free, free_left),
            notify_expired = COALESCE(@Notify, notify_expired),
            previous_webhook_secret = CASE WHEN @Secret IS NULL THEN previous_webhook_secret ELSE webhook_secret END,
            previous_secret_expires_at =
                CASE WHEN @Secret IS NULL THEN previous_secret_expires_at ELSE @PreviousUntil END,
            webhook_secret = COALESCE(@Secret, webhook_secret)
        WHERE id = @id
        """;

    /// <summary>For both stores' <c>UPDATE tokens</c>: a null field leaves its column as it is.</summary>
    public static object TokenUpdate(long id, TokenChange change) => new
    {
        id,
        change.Disabled,
        TopUp = Cents(change.TopUp),
        Price = Cents(change.Price),
        Limit = Cents(change.BalanceLimit),
        Free = change.FreeLeft,
        Notify = change.NotifyExpired,
        Secret = change.NewWebhookSecret,
        PreviousUntil = Ms(change.PreviousSecretExpiresAt),
    };

    /// <summary>The newest identify authorization (<see cref="Rows.AnyPhone"/>) on the number <c>@called</c>.</summary>
    public const string LatestIdentifyOn =
        $"SELECT {Rows.AuthorizationColumns} FROM authorizations WHERE user_phone = '' AND auth_number = @called "
            + "ORDER BY id DESC LIMIT 1";

    /// <summary>
    /// The newest authorization of the pair (<c>@called</c>, <c>@caller</c>) and the newest identify authorization on
    /// <c>@called</c>: at most two rows, told apart by <c>user_phone</c> (<see cref="Rows.ToCallCandidates"/>).
    /// </summary>
    /// <remarks>
    /// The caller is compared through a CAST, which changes nothing in either database, because of SQLite's planner: it
    /// asks whether a bare <c>user_phone = @caller</c> implies the partial index of identify authorizations
    /// (<c>user_phone = ''</c>), looks at the bound value to answer, and so marks the kept statement to be compiled
    /// again whenever <c>@caller</c> changes: on every stranger's call. Measured (BENCHMARKS.md, "Seventh pass"):
    /// half the CPU of such a call.
    /// </remarks>
    public const string CallCandidates =
        $"SELECT * FROM (SELECT {Rows.AuthorizationColumns} FROM authorizations "
            + "WHERE user_phone = CAST(@caller AS TEXT) AND auth_number = @called ORDER BY id DESC LIMIT 1) AS pair "
            + $"UNION ALL SELECT * FROM ({LatestIdentifyOn}) AS identify";

    /// <summary>For both stores' <c>SELECT … FROM authorizations</c> of a list page.</summary>
    public static object AuthorizationList(AuthorizationQuery query) => new
    {
        query.Phone,
        query.TokenId,
        Status = (int?)query.Status,
        query.BeforeId,
        Since = Ms(query.Since),
        Until = Ms(query.Until),
        Limit = Math.Clamp(query.Limit, 1, MaxListRows),
    };

    /// <summary>For both stores' <c>SELECT … FROM webhook_outbox</c> of a list page.</summary>
    public static object DeliveryList(DeliveryQuery query) => new
    {
        query.Id,
        Status = (int?)query.Status,
        query.AuthorizationId,
        Since = Ms(query.Since),
        Until = Ms(query.Until),
        Limit = Math.Clamp(query.Limit, 1, MaxListRows),
    };

    /// <summary>For both stores' <c>SELECT … FROM call_log</c> of a list page.</summary>
    public static object CallList(CallQuery query) =>
        new
        {
            query.Phone,
            Outcome = query.Outcome?.ToWire(),
            query.BeforeId,
            Since = Ms(query.Since),
            Until = Ms(query.Until),
            Limit = Math.Clamp(query.Limit, 1, MaxListRows),
        };

    public const string SignInClientColumns =
        "client_id, name, redirect_uris, public, secret_hash, token_id, disabled, created_at, just_call";

    public const string InsertClient = $"""
        INSERT INTO signin_clients ({SignInClientColumns})
        VALUES (@ClientId, @Name, @Uris, @IsPublic, @SecretHash, @TokenId, @Disabled, @CreatedAt, @JustCall)
        ON CONFLICT (client_id) DO NOTHING
        """;

    public const string SelectClient = $"SELECT {SignInClientColumns} FROM signin_clients WHERE client_id = @clientId";

    public const string ListClients =
        $"SELECT {SignInClientColumns} FROM signin_clients ORDER BY created_at, client_id";

    /// <summary>Applies a <see cref="ClientChange"/>: a null field leaves its column as it is.</summary>
    public const string UpdateClient = """
        UPDATE signin_clients SET
            disabled = COALESCE(@Disabled, disabled),
            just_call = COALESCE(@JustCall, just_call),
            secret_hash = COALESCE(@SecretHash, secret_hash)
        WHERE client_id = @clientId
        """;

    /// <summary>
    /// The other leases of a number (alias <c>o</c>) a new lease must not meet while they live: with a phone, the
    /// number's identify lease; in identify mode, any phone's. Spelled per mode, not as one condition on a
    /// parameter, so that the phone's case is one look-up of the (number, user_phone) key: the single condition
    /// made SQLite walk every lease of the number on each creation (thousands on a busy number, inside the writer).
    /// </summary>
    public static string RivalLeases(bool identify) => identify ? "o.user_phone <> ''" : "o.user_phone = ''";

    public const string RetireKeys = "UPDATE signin_keys SET retires_at = @t WHERE use = @use AND retires_at IS NULL";

    public const string InsertKey = """
        INSERT INTO signin_keys (kid, use, protected_key, created_at, activates_at, retires_at)
        VALUES (@KeyId, @Use, @ProtectedKey, @CreatedAt, @ActivatesAt, @RetiresAt)
        """;

    public const string InsertRedeemed =
        "INSERT INTO signin_redeemed (grant_id, keep_until) VALUES (@grantId, @t) ON CONFLICT (grant_id) DO NOTHING";

    public static object ClientRow(SignInClient client) => new
    {
        client.ClientId,
        client.Name,
        Uris = Rows.SignInClientRow.JoinUris(client.RedirectUris),
        client.IsPublic,
        client.SecretHash,
        client.TokenId,
        client.Disabled,
        CreatedAt = Ms(client.CreatedAt),
        client.JustCall,
    };

    public static object KeyRow(SignInKey key) => new
    {
        key.KeyId,
        Use = (int)key.Use,
        key.ProtectedKey,
        CreatedAt = Ms(key.CreatedAt),
        ActivatesAt = Ms(key.ActivatesAt),
        RetiresAt = Ms(key.RetiresAt),
    };
}
