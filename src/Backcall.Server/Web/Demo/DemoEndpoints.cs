using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Pool;
using Backcall.Server.Api;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// The demo page's API under <c>/demo/api</c>: it calls the core services with the demo token, which never
/// leaves the server. JSON bodies only, so a cross-site form cannot post here without a CORS preflight. Each
/// demo id answers only to the visitor who started it (<see cref="DemoSessions"/>), and every client address
/// is rate limited (<see cref="DemoRateLimitPolicy"/>).
/// </summary>
public static class DemoEndpoints
{
    public sealed record StartRequest(string? Phone);

    public sealed record SimulateRequest(string? From);

    public static IEndpointRouteBuilder MapDemoApi(this IEndpointRouteBuilder app)
    {
        var demo = app.MapGroup("/demo/api").ExcludeFromDescription().RequireRateLimiting(DemoRateLimitPolicy.Name);
        demo.AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<DemoOptions>>().Value;
            return options.Enabled
                ? await next(context)
                : WebJson.Error(StatusCodes.Status404NotFound, "demo_off", "demo mode is off");
        });
        demo.MapPost("/start", StartAsync);
        demo.MapGet("/check/{id:long}", CheckAsync);
        demo.MapGet("/status/{id:long}", Status);
        demo.MapPost("/simulate/{id:long}", SimulateAsync);
        return app;
    }

    private static async Task<IResult> StartAsync(
        StartRequest request,
        HttpContext context,
        DemoToken demo,
        DemoSessions sessions,
        AuthorizationService service,
        PublicUrls urls)
    {
        if (demo.Current is not { } token)
        {
            return WebJson.Error(
                StatusCodes.Status503ServiceUnavailable,
                "demo_not_ready",
                "the demo token could not be prepared; see the server log");
        }

        // The demo verifies a phone it is given; without one the service would start identify mode.
        if (string.IsNullOrEmpty(request.Phone))
        {
            return WebJson.Error(StatusCodes.Status400BadRequest, "bad_phone", "phone is required");
        }

        var outcome = await service.CreateAsync(token, request.Phone, null, false, context.RequestAborted);
        if (outcome.Authorization is not { } a)
        {
            return Refused(outcome);
        }

        sessions.Bind(a.Id, sessions.Ensure(context));
        return CallCard(a, a.Id, PhoneDisplay.Format(a.UserPhone!.Value), context, urls);
    }

    /// <summary>A refused start, as the demo and the sign-in page show it (the code picks the page's text).</summary>
    internal static IResult Refused(CreateOutcome outcome)
    {
        var (status, code) = outcome.Failure switch
        {
            CreateFailure.BadPhone => (StatusCodes.Status400BadRequest, "bad_phone"),
            CreateFailure.PhoneRateLimited or CreateFailure.IdentifyShareReached =>
                (StatusCodes.Status429TooManyRequests, "rate_limited"),
            CreateFailure.NoFreeNumber => (StatusCodes.Status503ServiceUnavailable, "no_free_number"),
            CreateFailure.TokenDisabled => (StatusCodes.Status503ServiceUnavailable, "token_disabled"),
            CreateFailure.QuotaExhausted => (StatusCodes.Status503ServiceUnavailable, "quota_exhausted"),
            _ => (StatusCodes.Status400BadRequest, "failed"),
        };
        return WebJson.Error(status, code, outcome.Message);
    }

    /// <summary>What a page needs to show the number to call: written for people, as a QR and as a tel: link.</summary>
    internal static IResult CallCard(
        Authorization a,
        long? id,
        string? userPhoneDisplay,
        HttpContext context,
        PublicUrls urls) =>
        WebJson.Json(
            new
            {
                Id = id,
                AuthPhone = a.AuthNumber.InternationalDigits,
                AuthPhoneDisplay = PhoneDisplay.Format(a.AuthNumber),
                Tel = "tel:" + a.AuthNumber.Value,
                UrlImage = urls.QrImage(context.Request, a.QrKey),
                UserPhoneDisplay = userPhoneDisplay,
                LifetimeSeconds = (int)Math.Round((a.ExpiresAt - a.CreatedAt).TotalSeconds),
                SecondsLeft = (int)Math.Round((a.ExpiresAt - a.CreatedAt).TotalSeconds),
            });

    private static async Task<IResult> CheckAsync(
        long id,
        HttpContext context,
        DemoToken demo,
        DemoSessions sessions,
        AuthorizationService service,
        TimeProvider time) =>
        await FindAsync(id, context, demo, sessions, service) is { } a
            ? WebJson.Json(DemoStatus.Of(a, time.GetUtcNow()))
            : WebJson.Error(StatusCodes.Status404NotFound, "not_found", "no such demo authorization");

    /// <summary>Server-Sent Events: the state now, then again at every change, until it is final.</summary>
    private static IResult Status(
        long id,
        HttpContext context,
        DemoToken demo,
        DemoSessions sessions,
        AuthorizationService service,
        AuthorizationPulse pulse,
        TimeProvider time) =>
        StatusStream.Serve(context, () => FindAsync(id, context, demo, sessions, service), pulse, time);

    /// <remarks>
    /// The simulated call is a real call from a phone to a number, matched like any other by the pair: it would
    /// confirm whatever authorization holds that pair. So it is placed only while the visitor's own demo
    /// authorization is pending (then no other live authorization can hold the pair), and "another phone" only
    /// when no authorization is waiting for that phone on the number.
    /// </remarks>
    private static async Task<IResult> SimulateAsync(
        long id,
        SimulateRequest request,
        HttpContext context,
        DemoToken demo,
        DemoSessions sessions,
        AuthorizationService service,
        AuthorizationIndex index,
        ICallSimulator simulator,
        NumberAdmin numbers,
        IOptions<DemoOptions> options,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var a = await FindAsync(id, context, demo, sessions, service);
        if (a is null)
        {
            return WebJson.Error(StatusCodes.Status404NotFound, "not_found", "no such demo authorization");
        }

        var now = time.GetUtcNow();
        if (a.StatusAt(now) != AuthorizationStatus.Pending)
        {
            return WebJson.Error(
                StatusCodes.Status409Conflict,
                "not_pending",
                "this demo authorization no longer waits for a call; start a new one");
        }

        var caller = request.From == "other" ? numbers.Parse(options.Value.OtherPhone) : a.UserPhone!.Value;
        if (caller != a.UserPhone
            && index.FindByPair(a.AuthNumber, caller)?.StatusAt(now) == AuthorizationStatus.Pending)
        {
            return WebJson.Error(
                StatusCodes.Status409Conflict,
                "other_phone_waiting",
                "the other phone itself waits for a call to this number; try again later");
        }

        var logger = loggers.CreateLogger("Backcall.Web.Demo");
        SimulatedCall call;
        try
        {
            call = await simulator.CallAsync(caller, a.AuthNumber, context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            WebLog.SimulatedCallFailed(logger, ex);
            return WebJson.Error(
                StatusCodes.Status502BadGateway,
                "call_failed",
                "the simulated call could not be placed: " + ex.Message);
        }

        WebLog.SimulatedCall(
            logger,
            caller.Value,
            a.AuthNumber.Value,
            a.Id,
            call.Via,
            call.Outcome?.ToWire() ?? $"{call.SipStatus} {call.SipReason}");
        return WebJson.Json(
            new
            {
                via = call.Via,
                outcome = call.Outcome?.ToWire(),
                sip_status = call.SipStatus,
                sip_reason = call.SipReason,
                caller = PhoneDisplay.Format(caller),
            });
    }

    /// <summary>The demo authorization, if it is the requesting visitor's own.</summary>
    private static async Task<Authorization?> FindAsync(
        long id, HttpContext context, DemoToken demo, DemoSessions sessions, AuthorizationService service) =>
        demo.Current is { } token && sessions.Owns(context, id)
            ? await service.FindAsync(token, id, context.RequestAborted)
            : null;
}
