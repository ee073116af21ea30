using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;

namespace Backcall.Storage.Postgres;

/// <summary>Row shapes as Dapper reads them (PostgreSQL column types), and their conversion to the core's records.</summary>
internal static class Rows
{
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? Time(long? ms) => ms is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static long? Ms(DateTimeOffset? t) => t?.ToUnixTimeMilliseconds();

    public static long Cents(decimal amount) => (long)decimal.Round(amount * 100m, MidpointRounding.AwayFromZero);

    public static long? Cents(decimal? amount) => amount is null ? null : Cents(amount.Value);

    public static decimal Money(long cents) => cents / 100m;

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
            UserPhone = new E164Phone(UserPhone),
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

        public CallLogEntry ToEntry() => new(Id, CallId, Caller, Called, Source, Time(ReceivedAt), CallOutcomeNames.FromWire(Outcome), AuthorizationId);
    }

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
        public string? ClaimedBy { get; set; }
        public long? ClaimedUntil { get; set; }

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

        public DeliveryAttempt ToAttempt() => new(DeliveryId, Time(At), HttpStatus, Error, TimeSpan.FromMilliseconds(LatencyMs), default, null);
    }
}
