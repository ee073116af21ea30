using Backcall.Core.Pool;

namespace Backcall.Server.Web.Operator;

/// <summary>The number pool: add, disable and enable, remove, and how often each number was handed out.</summary>
internal static class NumberPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet("/numbers", async (HttpContext context, NumberAdmin numbers) =>
        {
            var page = OperatorPage.For(context);
            var list = await numbers.ListAsync(context.RequestAborted);
            var add = page.Form("/admin/numbers", """
                <fieldset><legend>Add a number</legend>
                <label>Number <input name="number" id="number-input" required placeholder="+79640000001" inputmode="tel"></label>
                <button type="submit" class="btn btn-primary" id="add-number">Add</button>
                </fieldset>
                """, "create");
            return page.Render("Numbers", "numbers", add + Html.Table("numbers-table", ["Number", "State", "Added", "Handed out", "Actions"], list.Select(n => Row(page, n))));
        });

        console.MapPost("/numbers", async (HttpContext context, NumberAdmin numbers, ILogger<OperatorPage> logger) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var number = form["number"].ToString();
            var added = await numbers.AddAsync(number, context.RequestAborted);
            WebLog.ConsoleAction(logger, added ? "added number" : "number already present", numbers.Parse(number).Value);
            return Results.Redirect("/admin/numbers?notice=" + (added ? "number-added" : "number-exists"));
        });
        console.MapPost("/numbers/{number}/disable", (string number, HttpContext context, NumberAdmin numbers, ILogger<OperatorPage> logger) =>
            ChangeAsync(numbers.SetEnabledAsync(number, false, context.RequestAborted), "number-disabled", logger, "disabled number", number));
        console.MapPost("/numbers/{number}/enable", (string number, HttpContext context, NumberAdmin numbers, ILogger<OperatorPage> logger) =>
            ChangeAsync(numbers.SetEnabledAsync(number, true, context.RequestAborted), "number-enabled", logger, "enabled number", number));
        console.MapPost("/numbers/{number}/remove", (string number, HttpContext context, NumberAdmin numbers, ILogger<OperatorPage> logger) =>
            ChangeAsync(numbers.RemoveAsync(number, context.RequestAborted), "number-removed", logger, "removed number", number));
    }

    private static string[] Row(OperatorPage page, PoolNumber n)
    {
        var path = "/admin/numbers/" + Uri.EscapeDataString(n.Number.Value);
        return
        [
            $"<span class=\"phone\" title=\"{Html.E(n.Number.Value)}\">{Html.E(PhoneDisplay.Format(n.Number))}</span>",
            n.Enabled ? Html.Badge("enabled", "ok") : Html.Badge("disabled", "bad"),
            Html.Time(n.AddedAt),
            Html.Link(Html.Url("/admin/calls", ("phone", n.Number.Value)), n.Used.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (n.Enabled ? page.Button(path + "/disable", "Disable") : page.Button(path + "/enable", "Enable"))
                + page.Button(path + "/remove", "Remove", "danger", $"Remove {n.Number.Value} from the pool?"),
        ];
    }

    private static async Task<IResult> ChangeAsync(Task<bool> change, string notice, ILogger logger, string action, string number)
    {
        if (!await change)
        {
            return Results.Redirect("/admin/numbers?notice=not-found");
        }

        WebLog.ConsoleAction(logger, action, number);
        return Results.Redirect("/admin/numbers?notice=" + notice);
    }
}
