using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;

namespace Backcall.Storage.Sqlite;

/// <summary>Row shapes as Dapper reads them, and their conversion to the core's records.</summary>
internal static class Rows
{
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? Time(long? ms) => ms is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);

    public static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static long Cents(decimal amount) => (long)decimal.Round(amount * 100m, MidpointRounding.AwayFromZero);

    public static decimal Money(long cents) => cents / 100m;

    public sealed class TokenRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Hash { get; set; } = "";
        public string Prefix { get; set; } = "";
        public long CreatedAt { get; set; }
        public long Disabled { get; set; }
        public long BalanceCents { get; set; }
        public long PriceCents { get; set; }
        public long BalanceLimitCents { get; set; }
        public long FreeLeft { get; set; }
        public string WebhookSecret { get; set; } = "";
        public string? PreviousWebhookSecret { get; set; }
        public long? PreviousSecretExpiresAt { get; set; }
        public long NotifyExpired { get; set; }
        public long Used { get; set; }

        public Token ToToken() => new()
        {
            Id = Id,
            Name = Name,
            Hash = Hash,
            Prefix = Prefix,
            CreatedAt = Time(CreatedAt),
            Disabled = Disabled != 0,
            Balance = Money(BalanceCents),
            Price = Money(PriceCents),
            BalanceLimit = Money(BalanceLimitCents),
            FreeLeft = (int)FreeLeft,
            WebhookSecret = WebhookSecret,
            PreviousWebhookSecret = PreviousWebhookSecret,
            PreviousSecretExpiresAt = Time(PreviousSecretExpiresAt),
            NotifyExpired = NotifyExpired != 0,
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
        public long Status { get; set; }
        public long? ConfirmedAt { get; set; }
        public string? ConfirmedPhone { get; set; }
        public string? Webhook { get; set; }
        public long NotifyExpired { get; set; }
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
            NotifyExpired = NotifyExpired != 0,
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
        public long Success { get; set; }
        public string Phone { get; set; } = "";
        public long CreatedAt { get; set; }
        public long Status { get; set; }
        public long Attempts { get; set; }
        public long NextAttemptAt { get; set; }
        public long? CompletedAt { get; set; }
        public string? LastError { get; set; }

        public WebhookDelivery ToDelivery() => new()
        {
            Id = Id,
            AuthorizationId = AuthorizationId,
            TokenId = TokenId,
            Url = Url,
            Success = Success != 0,
            Phone = Phone,
            CreatedAt = Time(CreatedAt),
            Status = (WebhookDeliveryStatus)Status,
            Attempts = (int)Attempts,
            NextAttemptAt = Time(NextAttemptAt),
            CompletedAt = Time(CompletedAt),
            LastError = LastError,
        };
    }

    public sealed class AttemptRow
    {
        public string DeliveryId { get; set; } = "";
        public long At { get; set; }
        public long? HttpStatus { get; set; }
        public string? Error { get; set; }
        public double LatencyMs { get; set; }

        public DeliveryAttempt ToAttempt() => new(DeliveryId, Time(At), (int?)HttpStatus, Error, TimeSpan.FromMilliseconds(LatencyMs), default, null);
    }
}
