using System.Globalization;
using Backcall.Core.Tokens;
using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// Tokens: list with usage, create (the secrets shown once), disable and enable, top up, new webhook secret.
/// </summary>
internal static class TokenPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet(
            "/tokens",
            async (HttpContext context, TokenAdmin tokens, HtmlSecurityHeaders pages) =>
                pages.Component<TokensPage>(context, new { Tokens = await tokens.ListAsync(context.RequestAborted) }));

        console.MapPost(
            "/tokens",
            async (
                HttpContext context,
                TokenAdmin tokens,
                HtmlSecurityHeaders pages,
                ILogger<ConsoleActivity> logger) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                try
                {
                    var created = await tokens.CreateAsync(
                        form["name"].ToString(),
                        OptionalDecimal(form["price"], "price"),
                        OptionalDecimal(form["balance_limit"], "balance limit"),
                        OptionalInt(form["free_requests"], "free requests"),
                        form["notify_expired"].ToString() == "on",
                        context.RequestAborted);
                    WebLog.ConsoleAction(
                        logger,
                        "created token",
                        created.Token.Id.ToString(CultureInfo.InvariantCulture));
                    var list = await tokens.ListAsync(context.RequestAborted);
                    return pages.Component<TokensPage>(context, new { Tokens = list, Created = created });
                }
                catch (ArgumentException ex)
                {
                    return await ErrorAsync(context, tokens, pages, ex.Message, form);
                }
            });

        console.MapPost(
            "/tokens/{id:long}/disable",
            (long id, HttpContext context, TokenAdmin tokens, ILogger<ConsoleActivity> log) =>
                ChangeAsync(
                    tokens.SetDisabledAsync(id, true, context.RequestAborted),
                    "token-disabled",
                    log,
                    "disabled token",
                    id));
        console.MapPost(
            "/tokens/{id:long}/enable",
            (long id, HttpContext context, TokenAdmin tokens, ILogger<ConsoleActivity> log) =>
                ChangeAsync(
                    tokens.SetDisabledAsync(id, false, context.RequestAborted),
                    "token-enabled",
                    log,
                    "enabled token",
                    id));
        console.MapPost(
            "/tokens/{id:long}/topup",
            async (
                long id,
                HttpContext context,
                TokenAdmin tokens,
                HtmlSecurityHeaders pages,
                ILogger<ConsoleActivity> logger) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                try
                {
                    var amount =
                        OptionalDecimal(form["amount"], "amount")
                        ?? throw new ArgumentException("enter the amount to add (negative to take away)");
                    var change = tokens.TopUpAsync(id, amount, context.RequestAborted);
                    return await ChangeAsync(change, "token-topped-up", logger, "topped up token", id);
                }
                catch (ArgumentException ex)
                {
                    return await ErrorAsync(context, tokens, pages, ex.Message, null);
                }
            });
        console.MapPost(
            "/tokens/{id:long}/rotate-webhook-secret",
            async (
                long id,
                HttpContext context,
                TokenAdmin tokens,
                HtmlSecurityHeaders pages,
                ILogger<ConsoleActivity> logger) =>
            {
                if (await tokens.RotateWebhookSecretAsync(id, context.RequestAborted) is not { } rotated)
                {
                    return Results.Redirect("/admin/tokens?notice=not-found");
                }

                WebLog.ConsoleAction(
                    logger,
                    "rotated the webhook secret of token",
                    id.ToString(CultureInfo.InvariantCulture));
                var list = await tokens.ListAsync(context.RequestAborted);
                return pages.Component<TokensPage>(context, new { Tokens = list, Rotated = rotated });
            });
    }

    /// <summary>The tokens page again with why the form was not done, and what was typed.</summary>
    private static async Task<IResult> ErrorAsync(
        HttpContext context, TokenAdmin tokens, HtmlSecurityHeaders pages, string error, IFormCollection? form) =>
        pages.Component<TokensPage>(
            context,
            new { Tokens = await tokens.ListAsync(context.RequestAborted), Error = error, Form = form },
            StatusCodes.Status400BadRequest);

    private static async Task<IResult> ChangeAsync(
        Task<Token?> change,
        string notice,
        ILogger logger,
        string action,
        long id)
    {
        if (await change is null)
        {
            return Results.Redirect("/admin/tokens?notice=not-found");
        }

        WebLog.ConsoleAction(logger, action, id.ToString(CultureInfo.InvariantCulture));
        return Results.Redirect("/admin/tokens?notice=" + notice);
    }

    internal static decimal? OptionalDecimal(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? null
        : decimal.TryParse(value.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d
        : throw new ArgumentException($"{what} must be a number such as 1.50");

    private static int? OptionalInt(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? null
        : int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
        : throw new ArgumentException($"{what} must be a whole number");
}
