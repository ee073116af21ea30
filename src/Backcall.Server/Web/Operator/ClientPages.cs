using Backcall.Core.SignIn;
using Backcall.Core.Tokens;
using Backcall.Server.Web.Operator.Pages;
using Backcall.Server.Web.Security;

namespace Backcall.Server.Web.Operator;

/// <summary>
/// Sign-in clients: list, register (the secret shown once), disable and enable, "just call" on and off, new
/// secret, remove; the same
/// actions as <c>backcall client …</c> through <see cref="ClientAdmin"/>.
/// </summary>
internal static class ClientPages
{
    /// <summary>
    /// The buttons of a client's row: the path after <c>/clients/{id}/</c>, the notice shown after it, the
    /// console log's words for it, and the change (false when there is no such client).
    /// </summary>
    private static readonly (string Path, string Notice, string Action, Func<ClientAdmin, string, CancellationToken,
        Task<bool>> Apply)[] OneClickActions =
    [
        ("disable", "client-disabled", "disabled sign-in client",
            async (c, id, ct) => await c.SetDisabledAsync(id, true, ct) is not null),
        ("enable", "client-enabled", "enabled sign-in client",
            async (c, id, ct) => await c.SetDisabledAsync(id, false, ct) is not null),
        ("enable-just-call", "client-just-call-on", "offered just call for sign-in client",
            async (c, id, ct) => await c.SetJustCallAsync(id, true, ct) is not null),
        ("disable-just-call", "client-just-call-off", "stopped offering just call for sign-in client",
            async (c, id, ct) => await c.SetJustCallAsync(id, false, ct) is not null),
        ("remove", "client-removed", "removed sign-in client", (c, id, ct) => c.RemoveAsync(id, ct)),
    ];

    public static void Map(RouteGroupBuilder console)
    {
        console.MapGet(
            "/clients",
            async (HttpContext context, ClientAdmin clients, TokenAdmin tokens, HtmlSecurityHeaders pages) =>
                pages.Component<ClientsPage>(context, await PageAsync(context, clients, tokens, new { })));

        console.MapPost(
            "/clients",
            async (
                HttpContext context,
                ClientAdmin clients,
                TokenAdmin tokens,
                HtmlSecurityHeaders pages,
                ILogger<ConsoleActivity> logger) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                try
                {
                    var uris = form["redirect_uris"]
                        .ToString()
                        .Split(['\n', ' ', '\r'], StringSplitOptions.RemoveEmptyEntries);
                    var token = TokenPages.OptionalDecimal(form["token_id"], "token") is { } t ? (long?)t : null;
                    var created =
                        await clients.CreateAsync(
                            form["name"].ToString(),
                            uris,
                            form["public"].ToString() == "on",
                            token,
                            justCall: form["just_call"].ToString() == "on",
                            context.RequestAborted) ?? throw new ArgumentException($"token {token} not found");
                    WebLog.ConsoleAction(logger, "registered sign-in client", created.Client.ClientId);
                    return pages.Component<ClientsPage>(
                        context,
                        await PageAsync(context, clients, tokens, new { Created = created }));
                }
                catch (ArgumentException ex)
                {
                    return pages.Component<ClientsPage>(
                        context,
                        await PageAsync(context, clients, tokens, new { Error = ex.Message, Form = form }),
                        StatusCodes.Status400BadRequest);
                }
            });

        foreach (var (path, notice, action, apply) in OneClickActions)
        {
            console.MapPost(
                "/clients/{id}/" + path,
                async (string id, HttpContext context, ClientAdmin clients, ILogger<ConsoleActivity> log) =>
                    Done(await apply(clients, id, context.RequestAborted), notice, log, action, id));
        }

        console.MapPost(
            "/clients/{id}/rotate-secret",
            async (
                string id,
                HttpContext context,
                ClientAdmin clients,
                TokenAdmin tokens,
                HtmlSecurityHeaders pages,
                ILogger<ConsoleActivity> logger) =>
            {
                if (await clients.RotateSecretAsync(id, context.RequestAborted) is not { } rotated)
                {
                    return Results.Redirect("/admin/clients?notice=not-found");
                }

                WebLog.ConsoleAction(logger, "replaced the secret of sign-in client", id);
                return pages.Component<ClientsPage>(
                    context,
                    await PageAsync(context, clients, tokens, new { Created = rotated }));
            });
    }

    /// <summary>The page's parameters: the clients and their tokens' names, with what the action adds.</summary>
    private static async Task<Dictionary<string, object?>> PageAsync(
        HttpContext context,
        ClientAdmin clients,
        TokenAdmin tokens,
        object extra)
    {
        var parameters = new Dictionary<string, object?>
        {
            ["Clients"] = await clients.ListAsync(context.RequestAborted),
            ["TokenNames"] = (await tokens.ListAsync(context.RequestAborted)).ToDictionary(t => t.Id, t => t.Name),
        };
        foreach (var property in extra.GetType().GetProperties())
        {
            parameters[property.Name] = property.GetValue(extra);
        }

        return parameters;
    }

    private static IResult Done(bool found, string notice, ILogger logger, string action, string id)
    {
        if (!found)
        {
            return Results.Redirect("/admin/clients?notice=not-found");
        }

        WebLog.ConsoleAction(logger, action, id);
        return Results.Redirect("/admin/clients?notice=" + notice);
    }
}
