using System.Globalization;
using Backcall.Core.Tokens;

namespace Backcall.Server.Web.Operator;

/// <summary>Tokens: list with usage, create (the secrets shown once), disable and enable, top up.</summary>
internal static class TokenPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/tokens", async (HttpContext context, TokenAdmin tokens) =>
        {
            var page = OperatorPage.For(context);
            var list = await tokens.ListAsync(context.RequestAborted);
            return page.Render("Tokens", "tokens", CreateForm(page) + Html.Table("tokens-table", ["Id", "Name", "Prefix", "Created", "State", "Balance", "Price", "Limit", "Free left", "Used", "Actions"], list.Select(t => Row(page, t))));
        });

        console.MapPost("/tokens", async (HttpContext context, TokenAdmin tokens, ILogger<OperatorPage> logger) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var created = await tokens.CreateAsync(
                form["name"].ToString(),
                OptionalDecimal(form["price"], "price"),
                OptionalDecimal(form["balance_limit"], "balance limit"),
                OptionalInt(form["free_requests"], "free requests"),
                form["notify_expired"].ToString() == "on",
                context.RequestAborted);
            WebLog.ConsoleAction(logger, "created token", created.Token.Id.ToString(CultureInfo.InvariantCulture));
            var body = $"""
                <div class="card secret" id="created-token">
                <p><strong>Copy these now: they are shown only this once.</strong> Backcall keeps only a hash of the token.</p>
                <dl>
                <dt>Token</dt><dd><code id="new-token">{Html.E(created.Secret)}</code></dd>
                <dt>Webhook secret</dt><dd><code id="new-webhook-secret">{Html.E(created.Token.WebhookSecret)}</code></dd>
                <dt>Name</dt><dd>{Html.E(created.Token.Name)} (id {Html.E(created.Token.Id)})</dd>
                </dl>
                <p>{Html.Link("/admin/tokens", "Back to tokens")}</p>
                </div>
                """;
            return OperatorPage.For(context).Render("Token created", "tokens", body);
        });

        console.MapPost("/tokens/{id:long}/disable", (long id, HttpContext context, TokenAdmin tokens, ILogger<OperatorPage> logger) =>
            ChangeAsync(tokens.SetDisabledAsync(id, true, context.RequestAborted), "token-disabled", logger, "disabled token", id));
        console.MapPost("/tokens/{id:long}/enable", (long id, HttpContext context, TokenAdmin tokens, ILogger<OperatorPage> logger) =>
            ChangeAsync(tokens.SetDisabledAsync(id, false, context.RequestAborted), "token-enabled", logger, "enabled token", id));
        console.MapPost("/tokens/{id:long}/topup", async (long id, HttpContext context, TokenAdmin tokens, ILogger<OperatorPage> logger) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var amount = OptionalDecimal(form["amount"], "amount") ?? throw new ArgumentException("enter the amount to add (negative to take away)");
            return await ChangeAsync(tokens.TopUpAsync(id, amount, context.RequestAborted), "token-topped-up", logger, "topped up token", id);
        });
    }

    private static string CreateForm(OperatorPage page) => page.Form("/admin/tokens", """
        <fieldset><legend>New token</legend>
        <label>Name <input name="name" id="token-name" required maxlength="100" placeholder="my app"></label>
        <label>Price <input name="price" type="number" step="0.01" min="0" placeholder="default"></label>
        <label>Balance limit <input name="balance_limit" type="number" step="0.01" min="0" placeholder="default"></label>
        <label>Free requests <input name="free_requests" type="number" step="1" min="0" placeholder="default"></label>
        <label class="check"><input name="notify_expired" type="checkbox"> Webhook on expiry too</label>
        <button type="submit" class="btn btn-primary" id="create-token">Create token</button>
        </fieldset>
        """, "create");

    private static string[] Row(OperatorPage page, Token t) =>
    [
        Html.E(t.Id),
        Html.E(t.Name),
        $"<code>{Html.E(t.Prefix)}…</code>",
        Html.Time(t.CreatedAt),
        t.Disabled ? Html.Badge("disabled", "bad") : Html.Badge("active", "ok"),
        Html.E(t.Balance),
        Html.E(t.Price),
        Html.E(t.BalanceLimit),
        Html.E(t.FreeLeft),
        Html.Link(Html.Url("/admin/authorizations", ("token", t.Id.ToString(CultureInfo.InvariantCulture))), Html.E(t.Used)),
        (t.Disabled
            ? page.Button($"/admin/tokens/{t.Id}/enable", "Enable")
            : page.Button($"/admin/tokens/{t.Id}/disable", "Disable", "danger", $"Disable token {t.Name}? Apps using it stop working."))
            + page.Form($"/admin/tokens/{t.Id}/topup", "<input name=\"amount\" type=\"number\" step=\"0.01\" placeholder=\"amount\" required class=\"short\"><button type=\"submit\" class=\"btn btn-secondary\">Top up</button>"),
    ];

    private static async Task<IResult> ChangeAsync(Task<Token?> change, string notice, ILogger logger, string action, long id)
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
