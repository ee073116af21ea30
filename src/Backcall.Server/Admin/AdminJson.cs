using System.Text.Json;
using System.Text.Json.Serialization;
using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Pool;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;

namespace Backcall.Server.Admin;

/// <summary>
/// How the admin API and the CLI's <c>--json</c> show things: snake_case, never a token hash or secret by accident.
/// </summary>
public static class AdminJson
{
    public static readonly JsonSerializerOptions Options =
        Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// The settings of Backcall's own JSON (admin API, CLI, web pages, request bodies the host binds):
    /// snake_case names and enums, nulls left out.
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));

        // Escaped only where JSON requires: names, URLs and Russian text stay readable (answers are JSON, not HTML).
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    public static object Token(Token t) => new
    {
        t.Id,
        t.Name,
        t.Prefix,
        t.CreatedAt,
        t.Disabled,
        t.Balance,
        t.Price,
        t.BalanceLimit,
        FreeRequestsLeft = t.FreeLeft,
        t.NotifyExpired,
        t.Used,
        SecretRotatedUntil = t.PreviousSecretExpiresAt,
    };

    /// <summary>A new token: the one time its secrets are shown.</summary>
    public static object CreatedToken(CreatedToken c) => new
    {
        Token = c.Secret,
        WebhookSecret = c.Token.WebhookSecret,
        Details = Token(c.Token),
    };

    public static object Number(PoolNumber n) => new { Number = n.Number.Value, n.Enabled, n.AddedAt, n.Used };

    public static object Authorization(Authorization a, DateTimeOffset now) => new
    {
        a.Id,
        a.TokenId,
        UserPhone = a.UserPhone?.Value,
        AuthNumber = a.AuthNumber.Value,
        Status = a.StatusAt(now),
        a.CreatedAt,
        a.ExpiresAt,
        a.ConfirmedAt,
        ConfirmedPhone = a.ConfirmedPhone?.Value,
        HasWebhook = a.Webhook is not null,
        a.OtherCaller,
    };

    public static object Call(CallLogEntry c) => new
    {
        c.Id,
        c.CallId,
        c.Caller,
        c.Called,
        c.Source,
        c.ReceivedAt,
        Outcome = c.Outcome.ToWire(),
        c.AuthorizationId,
        c.RedirectedFrom,
    };

    public static object Delivery(WebhookDelivery d) => new
    {
        d.Id,
        d.AuthorizationId,
        d.TokenId,
        d.Url,
        d.Success,
        d.Status,
        d.Attempts,
        d.CreatedAt,
        d.NextAttemptAt,
        d.CompletedAt,
        d.LastError,
    };
}
