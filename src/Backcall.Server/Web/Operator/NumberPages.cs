using Backcall.Core.Pool;
using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;

namespace Backcall.Server.Web.Operator;

/// <summary>The number pool: add, disable and enable, remove, and how often each number was handed out.</summary>
internal static class NumberPages
{
    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet(
            "/numbers",
            async (HttpContext context, NumberAdmin numbers, HtmlSecurityHeaders pages) =>
                pages.Component<NumbersPage>(
                    context,
                    new { Numbers = await numbers.ListAsync(context.RequestAborted) }));

        console.MapPost(
            "/numbers",
            async (
                HttpContext context,
                NumberAdmin numbers,
                HtmlSecurityHeaders pages,
                ILogger<ConsoleActivity> logger) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var number = form["number"].ToString();
                try
                {
                    var added = await numbers.AddAsync(number, context.RequestAborted);
                    var what = added ? "added number" : "number already present";
                    WebLog.ConsoleAction(logger, what, numbers.Parse(number).Value);
                    return Results.Redirect("/admin/numbers?notice=" + (added ? "number-added" : "number-exists"));
                }
                catch (ArgumentException ex)
                {
                    return pages.Component<NumbersPage>(
                        context,
                        new
                        {
                            Numbers = await numbers.ListAsync(context.RequestAborted),
                            Error = ex.Message,
                            Number = number,
                        },
                        StatusCodes.Status400BadRequest);
                }
            });
        console.MapPost(
            "/numbers/{number}/disable",
            (string number, HttpContext context, NumberAdmin numbers, ILogger<ConsoleActivity> log) =>
                ChangeAsync(
                    numbers.SetEnabledAsync(number, false, context.RequestAborted),
                    "number-disabled",
                    log,
                    "disabled number",
                    number));
        console.MapPost(
            "/numbers/{number}/enable",
            (string number, HttpContext context, NumberAdmin numbers, ILogger<ConsoleActivity> log) =>
                ChangeAsync(
                    numbers.SetEnabledAsync(number, true, context.RequestAborted),
                    "number-enabled",
                    log,
                    "enabled number",
                    number));
        console.MapPost(
            "/numbers/{number}/remove",
            (string number, HttpContext context, NumberAdmin numbers, ILogger<ConsoleActivity> log) =>
                ChangeAsync(
                    numbers.RemoveAsync(number, context.RequestAborted),
                    "number-removed",
                    log,
                    "removed number",
                    number));
    }

    private static async Task<IResult> ChangeAsync(
        Task<bool> change,
        string notice,
        ILogger logger,
        string action,
        string number)
    {
        if (!await change)
        {
            return Results.Redirect("/admin/numbers?notice=not-found");
        }

        WebLog.ConsoleAction(logger, action, number);
        return Results.Redirect("/admin/numbers?notice=" + notice);
    }
}
