using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.SignIn;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;
using static Backcall.Storage.ColumnValues;

namespace Backcall.Storage;

/// <summary>Row shapes as Dapper reads them, and their conversion to the core's records.</summary>
/// <remarks>
/// Flags and small counts are <c>bool</c> and <c>int</c>, as PostgreSQL's boolean and integer columns are.
/// SQLite has only INTEGER (read as <c>long</c>); Dapper narrows it to these types when it maps a row.
/// </remarks>
internal static class Rows
{
    /// <summary>
    /// The columns an <see cref="AuthorizationRow"/> is read from, for the stores' SELECT and RETURNING lists.
    /// </summary>
    /// <summary>
    /// The <c>user_phone</c> of an identify authorization and of its lease: no phone, the number is held for every
    /// phone (migration 004). The key of the leases table cannot hold NULL, so both tables use the empty string.
    /// </summary>
    public const string AnyPhone = "";

    public const string AuthorizationColumns =
        "id, token_id, user_phone, auth_number, qr_key, created_at, expires_at, status, confirmed_at, confirmed_phone, "
            + "webhook, notify_expired, other_caller";

    public sealed class TokenRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Hash { get; set; } = "";
        public string Prefix { get; set; } = "";
        public long CreatedAt { get; set; }
        public bool Disabled { get; set; }
        public long BalanceCents { get; set; }
        public long PriceCents { get; set; }
        public long BalanceLimitCents { get; set; }
        public int FreeLeft { get; set; }
        public string WebhookSecret { get; set; } = "";
        public string? PreviousWebhookSecret { get; set; }
        public long? PreviousSecretExpiresAt { get; set; }
        public bool NotifyExpired { get; set; }
        public long Used { get; set; }

        public Token ToToken() => new()
        {
            Id = Id,
            Name = Name,
            Hash = Hash,
            Prefix = Prefix,
            CreatedAt = Time(CreatedAt),
            Disabled = Disabled,
            Balance = Money(BalanceCents),
            Price = Money(PriceCents),
            BalanceLimit = Money(BalanceLimitCents),
            FreeLeft = FreeLeft,
            WebhookSecret = WebhookSecret,
            PreviousWebhookSecret = PreviousWebhookSecret,
            PreviousSecretExpiresAt = Time(PreviousSecretExpiresAt),
            NotifyExpired = NotifyExpired,
            Used = Used,
        };
    }

    /// <summary>
    /// The authorization a store has just inserted with this id, built from the request rather than read back: it
    /// keeps the request's strings (the phone the limits already hold, the pool's number), not a second copy of
    /// each for as long as it stays in memory, and saves a read. Times are at the stored millisecond.
    /// </summary>
    public static Authorization Inserted(NewAuthorization a, long id) => new()
    {
        Id = id,
        TokenId = a.TokenId,
        UserPhone = a.UserPhone,
        AuthNumber = a.AuthNumber,
        QrKey = a.QrKey,
        CreatedAt = Time(Ms(a.CreatedAt)),
        ExpiresAt = Time(Ms(a.ExpiresAt)),
        Status = AuthorizationStatus.Pending,
        Webhook = a.Webhook,
        NotifyExpired = a.NotifyExpired,
    };

    /// <summary>The rows of <see cref="SharedQueries.CallCandidates"/>: an identify one has no user phone.</summary>
    public static CallCandidates ToCallCandidates(IEnumerable<AuthorizationRow> rows)
    {
        Authorization? pair = null, identify = null;
        foreach (var row in rows)
        {
            if (row.UserPhone == AnyPhone)
            {
                identify = row.ToAuthorization();
            }
            else
            {
                pair = row.ToAuthorization();
            }
        }

        return new CallCandidates(pair, identify);
    }

    public sealed class AuthorizationRow
    {
        public long Id { get; set; }
        public long TokenId { get; set; }
        public string UserPhone { get; set; } = "";
        public string AuthNumber { get; set; } = "";
        public string QrKey { get; set; } = "";
        public long CreatedAt { get; set; }
        public long ExpiresAt { get; set; }
        public int Status { get; set; }
        public long? ConfirmedAt { get; set; }
        public string? ConfirmedPhone { get; set; }
        public string? Webhook { get; set; }
        public bool NotifyExpired { get; set; }
        public string? OtherCaller { get; set; }

        public Authorization ToAuthorization() => new()
        {
            Id = Id,
            TokenId = TokenId,
            UserPhone = UserPhone == AnyPhone ? null : new E164Phone(UserPhone),
            AuthNumber = new E164Phone(AuthNumber),
            QrKey = QrKey,
            CreatedAt = Time(CreatedAt),
            ExpiresAt = Time(ExpiresAt),
            Status = (AuthorizationStatus)Status,
            ConfirmedAt = Time(ConfirmedAt),
            ConfirmedPhone = ConfirmedPhone is null ? null : new E164Phone(ConfirmedPhone),
            Webhook = Webhook,
            NotifyExpired = NotifyExpired,
            OtherCaller = OtherCaller,
        };
    }

    public sealed class CallRow
    {
        public long Id { get; set; }
        public string CallId { get; set; } = "";
        public string? Caller { get; set; }
        public string Called { get; set; } = "";
        public string Source { get; set; } = "";
        public long ReceivedAt { get; set; }
        public string Outcome { get; set; } = "";
        public long? AuthorizationId { get; set; }
        public string? RedirectedFrom { get; set; }

        public CallLogEntry ToEntry() =>
            new(
                Id,
                CallId,
                Caller,
                Called,
                Source,
                Time(ReceivedAt),
                CallOutcomeNames.FromWire(Outcome),
                AuthorizationId,
                RedirectedFrom);

        /// <summary>
        /// The parameters of both stores' <c>INSERT INTO call_log</c> for <paramref name="decision"/>.
        /// </summary>
        public static object Parameters(CallDecision decision) => new
        {
            decision.Call.CallId,
            Caller = decision.Call.Caller?.Value,
            Called = decision.Call.Called.Value,
            decision.Call.Source,
            at = Ms(decision.ReceivedAt),
            outcome = decision.Outcome.ToWire(),
            decision.AuthorizationId,
            RedirectedFrom = decision.Call.Redirection?.From,
        };
    }

    /// <summary>A <c>webhook_outbox</c> row; the claim columns are the stores' own business and not read.</summary>
    public sealed class DeliveryRow
    {
        public string Id { get; set; } = "";
        public long AuthorizationId { get; set; }
        public long TokenId { get; set; }
        public string Url { get; set; } = "";
        public bool Success { get; set; }
        public string Phone { get; set; } = "";
        public long CreatedAt { get; set; }
        public int Status { get; set; }
        public int Attempts { get; set; }
        public long NextAttemptAt { get; set; }
        public long? CompletedAt { get; set; }
        public string? LastError { get; set; }

        public WebhookDelivery ToDelivery() => new()
        {
            Id = Id,
            AuthorizationId = AuthorizationId,
            TokenId = TokenId,
            Url = Url,
            Success = Success,
            Phone = Phone,
            CreatedAt = Time(CreatedAt),
            Status = (WebhookDeliveryStatus)Status,
            Attempts = Attempts,
            NextAttemptAt = Time(NextAttemptAt),
            CompletedAt = Time(CompletedAt),
            LastError = LastError,
        };
    }

    public sealed class AttemptRow
    {
        public string DeliveryId { get; set; } = "";
        public long At { get; set; }
        public int? HttpStatus { get; set; }
        public string? Error { get; set; }
        public double LatencyMs { get; set; }

        public DeliveryAttempt ToAttempt() =>
            new(DeliveryId, Time(At), HttpStatus, Error, TimeSpan.FromMilliseconds(LatencyMs), default, null);
    }

    public sealed class SignInClientRow
    {
        public string ClientId { get; set; } = "";
        public string Name { get; set; } = "";
        public string RedirectUris { get; set; } = "";
        public bool Public { get; set; }
        public string? SecretHash { get; set; }
        public long TokenId { get; set; }
        public bool Disabled { get; set; }
        public long CreatedAt { get; set; }
        public bool JustCall { get; set; } = true;

        /// <summary>Redirect URIs are kept one per line (a URI has no line break).</summary>
        public static string JoinUris(IEnumerable<string> uris) => string.Join('\n', uris);

        public SignInClient ToClient() => new()
        {
            ClientId = ClientId,
            Name = Name,
            RedirectUris = RedirectUris.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            IsPublic = Public,
            SecretHash = SecretHash,
            TokenId = TokenId,
            Disabled = Disabled,
            CreatedAt = Time(CreatedAt),
            JustCall = JustCall,
        };
    }

    public sealed class SignInKeyRow
    {
        public string Kid { get; set; } = "";
        public int Use { get; set; }
        public string ProtectedKey { get; set; } = "";
        public long CreatedAt { get; set; }
        public long ActivatesAt { get; set; }
        public long? RetiresAt { get; set; }

        public SignInKey ToKey() =>
            new(Kid, (SignInKeyUse)Use, ProtectedKey, Time(CreatedAt), Time(ActivatesAt), Time(RetiresAt));
    }
}
