using System.Globalization;
using Backcall.Core.Authorizations;
using Backcall.Core.Tokens;
using Backcall.Server.Metrics;
using QRCoder;

namespace Backcall.Server.Api;

/// <summary>
/// The Back Calls compatible API under <c>/api/v1/authcalls/</c>: answers exactly as the contract's table
/// says (see shared/contract/README.md), so existing clients switch by changing their base URL only.
/// </summary>
public static class ContractEndpoints
{
    public static IEndpointRouteBuilder MapContractApi(this IEndpointRouteBuilder app)
    {
        // Clients call these with and without a trailing slash (the Python SDK: get_balance/); endpoint
        // routing matches both forms of one pattern, which the tests hold it to.
        var root = app.MapGroup("/api/v1/authcalls")
            .WithTags("Back Calls API")
            .WithMetadata(ContractStatusPages.AnswersEveryOutcome.Instance);

        // QR image: not under a token, addressed by an unguessable key (never the id).
        root.MapGet("get_qr_image/{key}", QrImageAsync)
            .WithName("get_qr_image")
            .WithSummary("PNG QR code of tel:+<auth_phone>")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesContractErrors(StatusCodes.Status404NotFound, StatusCodes.Status405MethodNotAllowed);

        // The status check is the one call clients make in a loop, so it takes nothing from the request's
        // services: the filter is one instance, and the check's services are the application's singletons. A
        // request that asks for a service gets a service scope of its own, a sixth of a check's garbage
        // (BENCHMARKS.md, "Where the time goes"); the other actions write to the database and keep the usual form.
        var services = app.ServiceProvider;
        var authorizations = services.GetRequiredService<AuthorizationService>();
        var time = services.GetRequiredService<TimeProvider>();
        var api = root.MapGroup("/{token}")
            .AddEndpointFilter(ActivatorUtilities.CreateInstance<TokenAuthenticationFilter>(services))
            .ProducesContractErrors(
                StatusCodes.Status401Unauthorized,
                StatusCodes.Status405MethodNotAllowed,
                StatusCodes.Status429TooManyRequests);
        api.MapGet("reverse_auth_phone_get", CreateGetAsync)
            .WithName("reverse_auth_phone_get")
            .WithSummary("Hands out a number for the user to call; poll reverse_auth_phone_check/{id} for the result.")
            .WithDescription(
                "Without phone (identify mode), the number is held for this "
                    + "authorization alone and the first caller is the answer.")
            .Produces<Envelope<CreatedData>>()
            .ProducesContractErrors(
                StatusCodes.Status400BadRequest,
                StatusCodes.Status402PaymentRequired,
                StatusCodes.Status503ServiceUnavailable);
        api.MapPost("reverse_auth_phone_post", CreatePostAsync)
            .WithName("reverse_auth_phone_post")
            .WithSummary("Hands out a number for the user to call; the webhook is called on confirmation.")
            .WithDescription(
                "phone and webhook (and optionally notify_expired=1) as a JSON object, a form or multipart body, "
                    + "or query parameters. Without phone (identify mode), the number is held for this authorization "
                    + "alone and the first caller is the answer.")
            .Accepts<CreateRequest>("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
            .Produces<Envelope<CreatedData>>()
            .ProducesContractErrors(
                StatusCodes.Status400BadRequest,
                StatusCodes.Status402PaymentRequired,
                StatusCodes.Status503ServiceUnavailable);
        api.MapGet(
                "reverse_auth_phone_check/{id}",
                (HttpContext context, string id) => CheckAsync(context, authorizations, time, id))
            .WithName("reverse_auth_phone_check")
            .WithSummary("The state of an authorization: pending, ok (with the phone that called) or expired.")
            .Produces<Envelope<CheckData>>()
            .ProducesContractErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        api.MapGet("get_balance", Balance)
            .WithName("get_balance")
            .WithSummary("Balance, price, balance limit and free requests left.")
            .Produces<Envelope<BalanceData>>();

        // No fallback route: routing then answers an unknown action 404 and a wrong method 405 with Allow,
        // which ContractStatusPages turns into the envelope.
        return app;
    }

    private static async Task<IResult> CreateGetAsync(
        HttpContext context, AuthorizationService service, PublicUrls urls, ApiMetrics metrics, RefusalCounter refusals,
        string? phone)
    {
        var token = TokenAuthenticationFilter.Current(context);
        if (string.IsNullOrWhiteSpace(phone) && context.Request.Query.ContainsKey("phone"))
        {
            return ContractResults.Error(StatusCodes.Status400BadRequest, AuthorizationService.BlankPhone);
        }

        var outcome = await service.CreateAsync(token, phone, null, false, context.RequestAborted);
        return Created(context, urls, metrics, refusals, token, outcome);
    }

    private static async Task<IResult> CreatePostAsync(
        HttpContext context, AuthorizationService service, PublicUrls urls, ApiMetrics metrics, RefusalCounter refusals)
    {
        var token = TokenAuthenticationFilter.Current(context);
        var (input, error) = await ContractInput.ReadAsync(context.Request, context.RequestAborted);
        if (input is null)
        {
            return ContractResults.Error(StatusCodes.Status400BadRequest, error!);
        }

        if (input.Webhook is null)
        {
            return ContractResults.Error(StatusCodes.Status400BadRequest, ContractMessages.WebhookRequired);
        }

        if (input.Phone is "")
        {
            return ContractResults.Error(StatusCodes.Status400BadRequest, AuthorizationService.BlankPhone);
        }

        var outcome = await service.CreateAsync(
            token, input.Phone, input.Webhook, input.NotifyExpired, context.RequestAborted);
        return Created(context, urls, metrics, refusals, token, outcome);
    }

    private static IResult Created(
        HttpContext context, PublicUrls urls, ApiMetrics metrics, RefusalCounter refusals, Token token,
        CreateOutcome outcome)
    {
        if (outcome.Authorization is not { } a)
        {
            Refusal? refusal = outcome.Failure switch
            {
                CreateFailure.QuotaExhausted => Refusal.Quota,
                CreateFailure.PhoneRateLimited or CreateFailure.IdentifyShareReached => Refusal.RateLimited,
                CreateFailure.NoFreeNumber => Refusal.PoolFull,
                _ => null,
            };
            if (refusal is { } r)
            {
                refusals.Record(token.Id, r);
            }

            var status = outcome.Failure switch
            {
                CreateFailure.BadPhone or CreateFailure.BadWebhook => StatusCodes.Status400BadRequest,
                CreateFailure.QuotaExhausted => StatusCodes.Status402PaymentRequired,
                CreateFailure.PhoneRateLimited or CreateFailure.IdentifyShareReached =>
                    StatusCodes.Status429TooManyRequests,
                CreateFailure.NoFreeNumber => StatusCodes.Status503ServiceUnavailable,
                CreateFailure.TokenDisabled => StatusCodes.Status401Unauthorized,
                _ => StatusCodes.Status500InternalServerError,
            };
            if (status is StatusCodes.Status402PaymentRequired or StatusCodes.Status429TooManyRequests
                or StatusCodes.Status503ServiceUnavailable)
            {
                metrics.Refused(status, outcome.Failure switch
                {
                    CreateFailure.QuotaExhausted => "quota_exhausted",
                    CreateFailure.PhoneRateLimited => "phone_rate_limited",
                    CreateFailure.IdentifyShareReached => "identify_share_reached",
                    _ => "no_free_number",
                });
            }

            return ContractResults.Error(status, outcome.Message, outcome.RetryAfter);
        }

        var number = a.AuthNumber.InternationalDigits;
        return ContractResults.Ok(new CreatedData(
            number,
            a.Id,
            urls.QrImage(context.Request, a.QrKey),
            $"<a href='tel:+{number}'>Позвони для авторизации</a>",
            "pending",
            a.ExpiresAt,
            (int)Math.Round((a.ExpiresAt - a.CreatedAt).TotalSeconds)));
    }

    private static async Task<IResult> CheckAsync(
        HttpContext context,
        AuthorizationService service,
        TimeProvider time,
        string id)
    {
        var token = TokenAuthenticationFilter.Current(context);
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return ContractResults.Error(StatusCodes.Status400BadRequest, ContractMessages.BadId);
        }

        var a = await service.FindAsync(token, value, context.RequestAborted);
        if (a is null)
        {
            return ContractResults.Error(StatusCodes.Status404NotFound, ContractMessages.NotFound);
        }

        var now = time.GetUtcNow();
        return a.StatusAt(now) switch
        {
            AuthorizationStatus.Ok => ContractResults.Ok(
                new CheckData(a.Id, a.ConfirmedPhone!.Value.ContractPhone, "ok")),
            AuthorizationStatus.Expired => ContractResults.Ok(
                new CheckData(a.Id, "", "expired"),
                success: false,
                error: ContractMessages.Expired),
            _ => ContractResults.Ok(
                new CheckData(a.Id, "", "pending", (int)Math.Ceiling((a.ExpiresAt - now).TotalSeconds), a.OtherCaller),
                success: false,
                error: ContractMessages.Pending),
        };
    }

    private static async Task<IResult> Balance(HttpContext context, TokenAdmin tokens)
    {
        var current = await tokens.GetAsync(TokenAuthenticationFilter.Current(context).Id, context.RequestAborted);
        if (current is null)
        {
            return ContractResults.Error(StatusCodes.Status401Unauthorized, ContractMessages.BadToken);
        }

        return ContractResults.Ok(
            new BalanceData(current.Balance, current.Price, current.BalanceLimit, current.FreeLeft));
    }

    private static async Task<IResult> QrImageAsync(HttpContext context, AuthorizationService service, string key)
    {
        var a = key.Length is > 0 and <= 64 ? await service.FindByQrKeyAsync(key, context.RequestAborted) : null;
        if (a is null)
        {
            return ContractResults.Error(StatusCodes.Status404NotFound, ContractMessages.QrNotFound);
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode("tel:" + a.AuthNumber.Value, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(8);
        context.Response.Headers.CacheControl = "private, max-age=300";
        return Results.Bytes(png, "image/png");
    }

    /// <summary>Documents error answers: the envelope with <c>data: {}</c> (examples added by ApiReference).</summary>
    private static TBuilder ProducesContractErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(
                new ProducesResponseTypeMetadata(status, typeof(Envelope<EmptyData>), ["application/json"]));
        }

        return builder;
    }
}
