using System.Text.Json;

namespace Backcall.Server.Web;

/// <summary>The JSON of the demo and console endpoints: snake_case like the rest of Backcall's APIs.</summary>
internal static class WebJson
{
    public static readonly JsonSerializerOptions Options = Admin.AdminJson.Options;

    public static IResult Json(object value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, Options, statusCode: status);

    public static IResult Error(int status, string code, string message) => Json(new { error = message, code }, status);
}
