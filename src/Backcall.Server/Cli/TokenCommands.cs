using System.CommandLine;
using System.Globalization;
using Backcall.Core.Tokens;
using Backcall.Server.Admin;

namespace Backcall.Server.Cli;

/// <summary><c>backcall token create|list|disable|enable|topup|rotate-secret</c>.</summary>
internal static class TokenCommands
{
    public static Command Build()
    {
        var token = new Command("token", "Manage API tokens");

        var name = new Option<string>("--name")
        {
            Description = "What the token is for (shown in lists)",
            Required = true,
        };
        var price = new Option<decimal?>("--price") { Description = "Price of one authorization after the free ones" };
        var limit = new Option<decimal?>("--balance-limit") { Description = "How far below zero the balance may go" };
        var free = new Option<int?>("--free") { Description = "Free authorizations (default from configuration: 50)" };
        var notify = new Option<bool>("--notify-expired") { Description = "Send success=False webhooks on expiry" };
        var create = new Command("create", "Create a token; prints it once") { name, price, limit, free, notify };
        create.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var created = await cli.Get<TokenAdmin>()
                .CreateAsync(
                    parse.GetValue(name)!,
                    parse.GetValue(price),
                    parse.GetValue(limit),
                    parse.GetValue(free),
                    parse.GetValue(notify),
                    ct);
            cli.Print(
                AdminJson.CreatedToken(created),
                () =>
                    $"token:          {created.Secret}\nwebhook secret: "
                        + $"{created.Token.WebhookSecret}\nid:             {created.Token.Id}\n"
                    + "Keep both now: they are not shown again (only a hash of the token is stored).");
            return 0;
        }));

        var list = new Command("list", "List tokens");
        list.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var tokens = await cli.Get<TokenAdmin>().ListAsync(ct);
            cli.Print(tokens.Select(AdminJson.Token), () => Table(tokens));
            return 0;
        }));

        token.Subcommands.Add(create);
        token.Subcommands.Add(list);
        token.Subcommands.Add(
            Change(
                "disable",
                "Disable a token (its requests get 401 at once)",
                (admin, id, _, ct) => admin.SetDisabledAsync(id, true, ct)));
        token.Subcommands.Add(
            Change("enable", "Enable a disabled token", (admin, id, _, ct) => admin.SetDisabledAsync(id, false, ct)));
        token.Subcommands.Add(
            Change(
                "rotate-secret",
                "Replace the webhook secret (the old one signs too for a grace period)",
                (admin, id, _, ct) => admin.RotateWebhookSecretAsync(id, ct)));
        token.Subcommands.Add(
            Change(
                "topup",
                "Add to a token's balance",
                (admin, id, amount, ct) => admin.TopUpAsync(id, amount!.Value, ct),
                withAmount: true));
        return token;
    }

    private static Command Change(
        string verb,
        string description,
        Func<TokenAdmin, long, decimal?, CancellationToken, Task<Token?>> apply,
        bool withAmount = false)
    {
        var id = new Argument<long>("id") { Description = "Token id (see token list)" };
        var amount = new Option<decimal>("--amount")
        {
            Description = "Amount to add (negative to take away)",
            Required = true,
        };
        var command = new Command(verb, description) { id };
        if (withAmount)
        {
            command.Options.Add(amount);
        }

        command.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var token = await apply(
                cli.Get<TokenAdmin>(),
                parse.GetValue(id),
                withAmount ? parse.GetValue(amount) : null,
                ct);
            if (token is null)
            {
                return CliErrors.NotFound(parse, "token " + parse.GetValue(id));
            }

            cli.Print(
                verb == "rotate-secret"
                    ? new
                    {
                        token.Id,
                        token.WebhookSecret,
                        PreviousValidUntil = token.PreviousSecretExpiresAt,
                    }
                    : AdminJson.Token(token),
                () =>
                    verb == "rotate-secret"
                        ? $"token {token.Id}: new webhook secret {token.WebhookSecret}; the previous one stays valid "
                            + $"until {token.PreviousSecretExpiresAt:u}"
                        : $"token {token.Id} ({token.Name}): {(token.Disabled ? "disabled" : "enabled")}, "
                            + $"balance {token.Balance.ToString(CultureInfo.InvariantCulture)}, "
                            + $"free left {token.FreeLeft}");
            return 0;
        }));
        return command;
    }

    private static string Table(IReadOnlyList<Token> tokens)
    {
        if (tokens.Count == 0)
        {
            return "no tokens; create one with: backcall token create --name NAME";
        }

        var lines = new List<string>
        {
            $"{"ID", -6} {"NAME", -24} {"PREFIX", -9} {"STATE", -9} "
                + $"{"BALANCE", 10} {"PRICE", 8} {"LIMIT", 8} {"FREE", 6} {"USED", 8}",
        };
        lines.AddRange(
            tokens.Select(t =>
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{t.Id,-6} {Clip(t.Name, 24),-24} {t.Prefix,-9} {(t.Disabled ? "disabled" : "enabled"),-9} "
                        + $"{t.Balance,10} {t.Price,8} {t.BalanceLimit,8} {t.FreeLeft,6} {t.Used,8}")));
        return string.Join('\n', lines);
    }

    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
