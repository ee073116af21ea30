using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Server.Admin;

namespace Backcall.Server.Pbx;

/// <summary>
/// <c>POST /api/v1/pbx/calls</c>: for PBXs that cannot send Backcall a SIP INVITE but can run a script or an
/// HTTP request per call (an Asterisk dialplan CURL, a FreeSWITCH Lua hook). Authenticated by the PBX key.
/// The PBX still rejects the call itself; this endpoint only reports who called whom.
/// </summary>
public static class PbxCallEndpoint
{
    /// <param name="RedirectedFrom">
    /// The number that forwarded the call to <paramref name="Called"/>, when it was forwarded ('anonymous' when
    /// hidden). Such a call confirms nothing: the caller dialled someone else's number.
    /// </param>
    public sealed record PbxCall(string? Caller, string? Called, string? CallId, string? RedirectedFrom = null);

    public static IEndpointRouteBuilder MapPbxApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/pbx/calls", HandleAsync)
            .WithTags("PBX integration")
            .WithSummary("Reports a call (caller, called) received by a PBX; confirms the matching authorization.")
            .WithDescription(
                "JSON {caller, called, call_id, redirected_from} or the same as a form. caller may be 'anonymous'. "
                + "The same call_id twice confirms once. redirected_from (optional) is the number that forwarded the "
                + "call to called: such a call confirms nothing.");
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext context,
        AdminKeys keys,
        CallService calls,
        PhoneParser phones,
        TimeProvider time)
    {
        // The call is judged at the request's arrival, before reading the body and waiting for the database.
        var receivedAt = time.GetUtcNow();
        if (!keys.IsPbx(AdminKeys.FromRequest(context.Request)))
        {
            return AdminResults.Error(
                StatusCodes.Status401Unauthorized,
                "PBX key required: send Authorization: Bearer <pbx key> (see pbx.key in the data directory)");
        }

        PbxCall? input;
        try
        {
            input = context.Request.HasFormContentType
                ? await ReadFormAsync(context.Request)
                : await context.Request.ReadFromJsonAsync<PbxCall>(AdminJson.Options, context.RequestAborted);
        }
        catch (Exception ex)
            when (ex is System.Text.Json.JsonException or InvalidDataException or BadHttpRequestException)
        {
            return AdminResults.Error(
                StatusCodes.Status400BadRequest,
                "body must be JSON or a form with caller, called and optionally call_id and redirected_from");
        }

        if (input is null || string.IsNullOrWhiteSpace(input.Called))
        {
            return AdminResults.Error(
                StatusCodes.Status400BadRequest,
                "called is required: the pool number that was called");
        }

        if (!phones.TryNormalize(input.Called, phones.DefaultRegion, requireValid: false, out var called))
        {
            return AdminResults.Error(
                StatusCodes.Status400BadRequest,
                $"called '{input.Called}' is not a phone number; accepted forms: {PhoneParser.AcceptedForms}");
        }

        E164Phone? caller = null;
        if (!IsAnonymous(input.Caller))
        {
            if (!phones.TryNormalize(input.Caller, phones.DefaultRegion, requireValid: false, out var parsed))
            {
                return AdminResults.Error(
                    StatusCodes.Status400BadRequest,
                    $"caller '{input.Caller}' is not a phone number; "
                        + "send it in E.164 or a national form, or 'anonymous'");
            }

            caller = parsed;
        }

        CallRedirection? redirection = null;
        if (!string.IsNullOrWhiteSpace(input.RedirectedFrom))
        {
            if (IsAnonymous(input.RedirectedFrom))
            {
                redirection = new CallRedirection(CallRedirection.Unknown, Allowed: false);
            }
            else if (phones.TryNormalize(input.RedirectedFrom, phones.DefaultRegion, requireValid: false, out var from))
            {
                redirection = new CallRedirection(from.Value, Allowed: false);
            }
            else
            {
                return AdminResults.Error(
                    StatusCodes.Status400BadRequest,
                    $"redirected_from '{input.RedirectedFrom}' is not a phone "
                        + "number; send it in E.164 or a national form, or 'anonymous'");
            }
        }

        var callId = string.IsNullOrWhiteSpace(input.CallId)
            ? "pbx-" + Guid.NewGuid().ToString("N")
            : input.CallId.Trim();
        if (callId.Length > 200)
        {
            return AdminResults.Error(StatusCodes.Status400BadRequest, "call_id is longer than 200 characters");
        }

        var source = "http:pbx " + context.Connection.RemoteIpAddress;
        var call = new IncomingCall(callId, caller, called, source, receivedAt, redirection);
        var result = await calls.ReceiveAsync(call, context.RequestAborted);
        return AdminResults.Json(
            new
            {
                outcome = result.Outcome.ToWire(),
                authorization_id = result.AuthorizationId,
                repeated = result.Repeated,
            });
    }

    private static bool IsAnonymous(string? caller) =>
        string.IsNullOrWhiteSpace(caller) || caller.Trim().Equals("anonymous", StringComparison.OrdinalIgnoreCase);

    private static async Task<PbxCall> ReadFormAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        return new PbxCall(
            form["caller"].FirstOrDefault(),
            form["called"].FirstOrDefault(),
            form["call_id"].FirstOrDefault(),
            form["redirected_from"].FirstOrDefault());
    }
}
