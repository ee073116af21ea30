using System.Text.Json.Serialization;

namespace BareKestrel;

// The same shapes and serializer settings as the server's contract answers (src/Backcall.Server/Api/ContractJson.cs),
// so both sides write the same bytes.
public sealed record Envelope<T>(bool Success, string Error, T Data);

public sealed record CheckData(
    long Id, string Phone, string Status, int? SecondsLeft = null, string? OtherCaller = null);

public sealed record CreatedData(
    string AuthPhone, long Id, string UrlImage, string UrlLink, string Status, DateTimeOffset ExpiresAt, int ExpiresIn);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Envelope<CheckData>))]
[JsonSerializable(typeof(Envelope<CreatedData>))]
internal sealed partial class AnchorJson : JsonSerializerContext;
