using System.CommandLine;
using Backcall.Core.SignIn;
using Backcall.Server.SignIn;

namespace Backcall.Server.Cli;

/// <summary>
/// <c>backcall client create|list|disable|enable|enable-just-call|disable-just-call|remove|rotate-secret</c>: apps that
/// sign users in by a call.
/// </summary>
internal static class ClientCommands
{
    public static Command Build()
    {
        var client = new Command("client", "Manage sign-in clients (apps using Backcall's OpenID Connect provider)");

        var name = new Option<string>("--name")
        {
            Description = "What the app is (shown on the sign-in page)",
            Required = true,
        };
        var redirect = new Option<string[]>("--redirect-uri")
        {
            Description = "Where codes may be sent, exactly (repeat for several)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var isPublic = new Option<bool>("--public")
        {
            Description = "A public client (SPA, mobile app): no secret, PKCE required",
        };
        var token = new Option<long?>("--token")
        {
            Description = "The API token whose quota and limits its sign-ins use (default: a new one)",
        };
        var noJustCall = new Option<bool>("--no-just-call")
        {
            Description = "Its sign-in page offers only \"enter my phone\", not \"just call\" (holds a number alone)",
        };
        var create = new Command("create", "Register a client; prints its secret once")
        {
            name,
            redirect,
            isPublic,
            token,
            noJustCall,
        };
        create.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var created = await cli.Get<ClientAdmin>()
                .CreateAsync(
                    parse.GetValue(name)!,
                    parse.GetValue(redirect)!,
                    parse.GetValue(isPublic),
                    parse.GetValue(token),
                    justCall: !parse.GetValue(noJustCall),
                    ct);
            if (created is null)
            {
                return CliErrors.NotFound(parse, "token " + parse.GetValue(token));
            }

            cli.Print(SignInAdminEndpoints.Created(created), () => Created(created));
            return 0;
        }));

        var list = new Command("list", "List clients");
        list.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var clients = await cli.Get<ClientAdmin>().ListAsync(ct);
            cli.Print(clients.Select(SignInAdminEndpoints.Client), () => Table(clients));
            return 0;
        }));

        client.Subcommands.Add(create);
        client.Subcommands.Add(list);
        client.Subcommands.Add(
            Change(
                "disable",
                "Disable a client (its sign-ins and token requests are refused at once)",
                async (a, id, ct) => await a.SetDisabledAsync(id, true, ct)));
        client.Subcommands.Add(
            Change("enable", "Enable a disabled client", async (a, id, ct) => await a.SetDisabledAsync(id, false, ct)));
        client.Subcommands.Add(
            Change(
                "enable-just-call",
                "Offer \"just call\" (identify mode) on the client's sign-in page",
                async (a, id, ct) => await a.SetJustCallAsync(id, true, ct)));
        client.Subcommands.Add(
            Change(
                "disable-just-call",
                "Offer only \"enter my phone\"; identify-mode attempts for the client are refused",
                async (a, id, ct) => await a.SetJustCallAsync(id, false, ct)));
        client.Subcommands.Add(
            Change(
                "remove",
                "Remove a client",
                async (a, id, ct) => await a.RemoveAsync(id, ct) ? new object() : null));
        client.Subcommands.Add(
            Change(
                "rotate-secret",
                "Replace a confidential client's secret (the old one stops working)",
                async (a, id, ct) => await a.RotateSecretAsync(id, ct)));
        return client;
    }

    private static Command Change(
        string verb,
        string description,
        Func<ClientAdmin, string, CancellationToken, Task<object?>> apply)
    {
        var id = new Argument<string>("client-id") { Description = "The client id (see client list)" };
        var command = new Command(verb, description) { id };
        command.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var clientId = parse.GetValue(id)!;
            var result = await apply(cli.Get<ClientAdmin>(), clientId, ct);
            switch (result)
            {
                case null:
                    return CliErrors.NotFound(parse, "client " + clientId);
                case SignInClient c:
                    cli.Print(
                        SignInAdminEndpoints.Client(c),
                        () => $"client {c.ClientId} ({c.Name}): {State(c)}");
                    break;
                case CreatedClient c:
                    cli.Print(SignInAdminEndpoints.Created(c), () => Created(c));
                    break;
                default:
                    cli.Print(new { ok = true, client_id = clientId }, () => $"client {clientId} removed");
                    break;
            }

            return 0;
        }));
        return command;
    }

    private static string State(SignInClient c) =>
        (c.Disabled ? "disabled" : "enabled") + (c.JustCall ? ", just call offered" : ", enter-my-phone only");

    private static string Created(CreatedClient c) =>
        $"client id:     {c.Client.ClientId}\n"
        + (
            c.Secret is null
                ? "client secret: none (public client: PKCE S256 is required)\n"
                : $"client secret: {c.Secret}\n")
        + $"token:         {c.Client.TokenId}\n"
        + (c.Secret is null ? "" : "Keep the secret now: it is not shown again (only a hash of it is stored).");

    private static string Table(IReadOnlyList<SignInClient> clients)
    {
        if (clients.Count == 0)
        {
            return "no clients; register one with: backcall client create --name NAME --redirect-uri "
                + "https://app.example/signin-oidc";
        }

        var lines = new List<string>
        {
            $"{"CLIENT ID",-20} {"NAME",-24} {"TYPE",-12} {"STATE",-9} {"JUST CALL",-9} {"TOKEN",6}  REDIRECT URIS",
        };
        lines.AddRange(clients.Select(c =>
            $"{c.ClientId,-20} {Clip(c.Name, 24),-24} {(c.IsPublic ? "public" : "confidential"),-12} "
            + $"{(c.Disabled ? "disabled" : "enabled"),-9} {(c.JustCall ? "on" : "off"),-9} {c.TokenId,6}  "
            + string.Join(' ', c.RedirectUris)));
        return string.Join('\n', lines);
    }

    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
