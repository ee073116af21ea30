using Backcall.Core.Activity;
using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Pool;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Backcall.Server.SignIn;
using Backcall.Server.Webhooks;

namespace Backcall.Server.Admin;

/// <summary>
/// The operator's HTTP API under <c>/api/admin</c>, authenticated by the admin key: the same operations as
/// the CLI, through the same services.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Admin")
            .AddEndpointFilter<AdminAuthenticationFilter>()
            .AddEndpointFilter<AdminArgumentErrorFilter>();

        admin.MapGet(
            "/tokens",
            async (TokenAdmin tokens, CancellationToken ct) =>
                AdminResults.Json((await tokens.ListAsync(ct)).Select(AdminJson.Token)));
        admin.MapPost(
            "/tokens",
            async (CreateTokenRequest request, TokenAdmin tokens, CancellationToken ct) =>
                AdminResults.Json(
                    AdminJson.CreatedToken(
                        await tokens.CreateAsync(
                            request.Name,
                            request.Price,
                            request.BalanceLimit,
                            request.FreeRequests,
                            request.NotifyExpired,
                            ct)),
                    StatusCodes.Status201Created));
        admin.MapGet(
            "/tokens/{id:long}",
            async (long id, TokenAdmin tokens, CancellationToken ct) =>
                await tokens.GetAsync(id, ct) is { } t
                    ? AdminResults.Json(AdminJson.Token(t))
                    : AdminResults.NotFound("token"));
        admin.MapPost(
            "/tokens/{id:long}/disable",
            (long id, TokenAdmin tokens, CancellationToken ct) => TokenResult(tokens.SetDisabledAsync(id, true, ct)));
        admin.MapPost(
            "/tokens/{id:long}/enable",
            (long id, TokenAdmin tokens, CancellationToken ct) => TokenResult(tokens.SetDisabledAsync(id, false, ct)));
        admin.MapPost(
            "/tokens/{id:long}/topup",
            (long id, TopUpRequest request, TokenAdmin tokens, CancellationToken ct) =>
                TokenResult(tokens.TopUpAsync(id, request.Amount, ct)));
        admin.MapPost(
            "/tokens/{id:long}/rotate-webhook-secret",
            async (long id, TokenAdmin tokens, CancellationToken ct) =>
                await tokens.RotateWebhookSecretAsync(id, ct) is { } t
                    ? AdminResults.Json(
                        new { webhook_secret = t.WebhookSecret, previous_valid_until = t.PreviousSecretExpiresAt })
                    : AdminResults.NotFound("token"));

        admin.MapGet(
            "/numbers",
            async (NumberAdmin numbers, CancellationToken ct) =>
                AdminResults.Json((await numbers.ListAsync(ct)).Select(AdminJson.Number)));
        admin.MapPost(
            "/numbers",
            async (AddNumberRequest request, NumberAdmin numbers, CancellationToken ct) =>
                await numbers.AddAsync(request.Number, ct)
                    ? AdminResults.Json(
                        new { number = numbers.Parse(request.Number).Value, added = true },
                        StatusCodes.Status201Created)
                    : AdminResults.Error(StatusCodes.Status409Conflict, "number is in the pool already"));
        admin.MapPost(
            "/numbers/{number}/disable",
            (string number, NumberAdmin numbers, CancellationToken ct) =>
                NumberResult(numbers.SetEnabledAsync(number, false, ct)));
        admin.MapPost(
            "/numbers/{number}/enable",
            (string number, NumberAdmin numbers, CancellationToken ct) =>
                NumberResult(numbers.SetEnabledAsync(number, true, ct)));
        admin.MapDelete(
            "/numbers/{number}",
            (string number, NumberAdmin numbers, CancellationToken ct) =>
                NumberResult(numbers.RemoveAsync(number, ct)));

        admin.MapGet(
            "/authorizations",
            async (
                ActivityAdmin activity,
                TimeProvider time,
                string? phone,
                long? tokenId,
                string? status,
                int? limit,
                long? beforeId,
                CancellationToken ct) =>
            {
                AuthorizationStatus? s =
                    status is null ? null
                    : Enum.TryParse<AuthorizationStatus>(status, true, out var parsed) ? parsed
                    : null;
                if (status is not null && s is null)
                {
                    return AdminResults.Error(StatusCodes.Status400BadRequest, "status must be pending, ok or expired");
                }

                var now = time.GetUtcNow();
                var list = await activity.ListAuthorizationsAsync(
                    new AuthorizationQuery(NormalizeFilterPhone(phone), tokenId, s, limit ?? 100, beforeId),
                    ct);
                return AdminResults.Json(list.Select(a => AdminJson.Authorization(a, now)));
            });
        admin.MapGet(
            "/calls",
            async (
                ActivityAdmin activity,
                string? phone,
                string? outcome,
                int? limit,
                long? beforeId,
                CancellationToken ct) =>
            {
                CallOutcome? o = null;
                if (outcome is not null)
                {
                    try
                    {
                        o = CallOutcomeNames.FromWire(outcome);
                    }
                    catch (ArgumentOutOfRangeException)
                    {
                        var names = string.Join(", ", Enum.GetValues<CallOutcome>().Select(v => v.ToWire()));
                        return AdminResults.Error(StatusCodes.Status400BadRequest, "outcome must be one of " + names);
                    }
                }

                var list = await activity.ListCallsAsync(
                    new CallQuery(NormalizeFilterPhone(phone), o, limit ?? 100, beforeId),
                    ct);
                return AdminResults.Json(list.Select(AdminJson.Call));
            });

        admin.MapWebhookAdmin();
        admin.MapSignInAdmin();

        // Configured trunks and registrations, each registration with its live state.
        admin.MapGet("/trunks", (Sip.SipListener sip) => AdminResults.Json(sip.Overview));

        admin.MapGet(
            "/stats",
            async (
                ActivityAdmin activity,
                AuthorizationIndex index,
                TimeProvider time,
                int? minutes,
                CancellationToken ct) =>
            {
                var now = time.GetUtcNow();
                var stats = await activity.GetStatisticsAsync(
                    now.AddMinutes(-Math.Clamp(minutes ?? 60, 1, 60 * 24 * 30)),
                    ct);
                return AdminResults.Json(
                    new
                    {
                        live_authorizations = index.CountLive(now),
                        window_minutes = minutes ?? 60,
                        stats,
                    });
            });
        return app;
    }

    private static string? NormalizeFilterPhone(string? phone) =>
        string.IsNullOrWhiteSpace(phone) ? null : phone.StartsWith('+') ? phone : "+" + phone.Trim();

    private static async Task<IResult> TokenResult(Task<Token?> change) =>
        await change is { } t ? AdminResults.Json(AdminJson.Token(t)) : AdminResults.NotFound("token");

    private static async Task<IResult> NumberResult(Task<bool> change) =>
        await change ? AdminResults.Json(new { ok = true }) : AdminResults.NotFound("number");
}
