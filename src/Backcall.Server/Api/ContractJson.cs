using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
/// <remarks>
/// The answers are written by the source generator's fast path: straight from the records into the response's
/// buffer, with no serializer state. That path serves only the generated options, whose encoder escapes every
/// non-ASCII character, so the contract's escaping (<see cref="WriterOptions"/>) is set on the writer instead:
/// it escapes every string value, and the property names are ASCII either way. The streaming path it replaces
/// allocated a third of a status check's garbage (BENCHMARKS.md).
/// </remarks>
internal static class ContractResults
{
    /// <summary>
    /// Text escaped only where JSON requires it, so the Russian link text, <c>'</c> and <c>+</c> read as they
    /// are in curl. The answers are application/json, never inlined into HTML, so HTML-sensitive characters
    /// need no escape.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly Envelope<EmptyData> NoData = new(false, "", new EmptyData());

    public static IResult Ok<T>(T data, bool success = true, string error = "") =>
        new Answer<T>(StatusCodes.Status200OK, new Envelope<T>(success, error, data), retryAfter: null);

    public static IResult Error(int status, string message, TimeSpan? retryAfter = null) =>
        new Answer<EmptyData>(status, NoData with { Error = message }, retryAfter);

    public static Task WriteErrorAsync(HttpContext context, int status, string message, TimeSpan? retryAfter = null) =>
        Error(status, message, retryAfter).ExecuteAsync(context);

    // One writer per thread, pointed at each answer's destination in turn: a writer is a few hundred bytes, an
    // eighth of a check's garbage when made per answer. Writing is synchronous, so no other answer can run on
    // the thread in between.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static void Write<T>(IBufferWriter<byte> destination, Envelope<T> envelope)
    {
        var writer = t_writer ??= new Utf8JsonWriter(Detached.Instance, WriterOptions);
        writer.Reset(destination);
        try
        {
            JsonSerializer.Serialize(writer, envelope, EnvelopeInfo<T>.Value);
            writer.Flush();
        }
        finally
        {
            // Not left holding the response's pipe once the answer is written.
            writer.Reset(Detached.Instance);
        }
    }

    /// <summary>Where an idle writer points: never written to.</summary>
    private sealed class Detached : IBufferWriter<byte>
    {
        public static readonly Detached Instance = new();

        public void Advance(int count) => throw new InvalidOperationException("the writer is not attached");

        public Memory<byte> GetMemory(int sizeHint = 0) =>
            throw new InvalidOperationException("the writer is not attached");

        public Span<byte> GetSpan(int sizeHint = 0) =>
            throw new InvalidOperationException("the writer is not attached");
    }

    /// <summary>The generated metadata of <see cref="Envelope{T}"/>, found once per answer type.</summary>
    private static class EnvelopeInfo<T>
    {
        public static readonly JsonTypeInfo<Envelope<T>> Value =
            (JsonTypeInfo<Envelope<T>>)ContractJsonContext.Default.GetTypeInfo(typeof(Envelope<T>))!;
    }

    private sealed class Answer<T>(int status, Envelope<T> envelope, TimeSpan? retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            if (retryAfter is { } after)
            {
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
                    .ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            // Written into the response's pipe and left for the server to send when the endpoint returns.
            Write(response.BodyWriter, envelope);
            return Task.CompletedTask;
        }
    }
}
