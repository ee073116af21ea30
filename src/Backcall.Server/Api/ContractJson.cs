using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Backcall.Server.Api;

/// <summary>The contract's envelope: every JSON answer is <c>{"success", "error", "data"}</c>.</summary>
public sealed record Envelope<T>(bool Success, string Error, T Data);

/// <summary>Serializes as <c>{}</c>: the hosted service's <c>data</c> on errors.</summary>
public sealed record EmptyData;

public sealed record CreatedData(
    string AuthPhone,
    long Id,
    string UrlImage,
    string UrlLink,
    string Status,
    DateTimeOffset ExpiresAt,
    int ExpiresIn);

/// <summary>The check answer. <c>status</c> is what clients poll on: pending, ok or expired.</summary>
public sealed record CheckData(
    long Id,
    string Phone,
    string Status,
    int? SecondsLeft = null,
    string? OtherCaller = null);

/// <summary>
/// The body of reverse_auth_phone_post, as documented (JSON, form or multipart; the query works too).
/// </summary>
/// <param name="Phone">The user's phone: 8XXXXXXXXXX, 7XXXXXXXXXX, +7 (9XX) XXX-XX-XX, 9XXXXXXXXX or +E.164.</param>
/// <param name="Webhook">The http(s) URL called with ?success=True&amp;phone=…&amp;id=… on confirmation.</param>
/// <param name="NotifyExpired">1 to be called with success=False when the authorization expires.</param>
public sealed record CreateRequest(string Phone, string Webhook, int? NotifyExpired = null);

public sealed record BalanceData(decimal Balance, decimal Price, decimal BalanceLimit, int FreeRequestsLeft);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Envelope<EmptyData>))]
[JsonSerializable(typeof(Envelope<CreatedData>))]
[JsonSerializable(typeof(Envelope<CheckData>))]
[JsonSerializable(typeof(Envelope<BalanceData>))]
internal sealed partial class ContractJsonContext : JsonSerializerContext;

/// <summary>Writes contract answers.</summary>
internal static class ContractResults
{
    /// <summary>
    /// The one JSON setting of the contract API: the source-generated types, and text escaped only where
    /// JSON requires it, so the Russian link text, <c>'</c> and <c>+</c> read as they are in curl. The
    /// answers are application/json, never inlined into HTML, so HTML-sensitive characters need no escape.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(ContractJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Envelope<EmptyData> NoData = new(false, "", new EmptyData());

    public static IResult Ok<T>(T data, bool success = true, string error = "") =>
        Results.Json(new Envelope<T>(success, error, data), Options, statusCode: StatusCodes.Status200OK);

    public static IResult Error(int status, string message, TimeSpan? retryAfter = null) =>
        new ErrorResult(status, message, retryAfter);

    public static Task WriteErrorAsync(HttpContext context, int status, string message, TimeSpan? retryAfter = null) =>
        new ErrorResult(status, message, retryAfter).ExecuteAsync(context);

    private sealed class ErrorResult(int status, string message, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            if (retryAfter is { } after)
            {
                httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
                    .ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return httpContext.Response.WriteAsJsonAsync(NoData with { Error = message }, Options);
        }
    }
}
