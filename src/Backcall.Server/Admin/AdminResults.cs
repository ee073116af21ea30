namespace Backcall.Server.Admin;

internal static class AdminResults
{
    public static IResult Json(object value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, AdminJson.Options, statusCode: status);

    public static IResult Error(int status, string message) =>
        Results.Json(new { error = message }, AdminJson.Options, statusCode: status);

    public static IResult NotFound(string what) => Error(StatusCodes.Status404NotFound, what + " not found");
}
