using System.CommandLine;
using Backcall.Server.SignIn;

namespace Backcall.Server.Cli;

/// <summary>
/// <c>backcall signin-keys list|rotate</c>: the OpenID Connect provider's signing and encryption keys.
/// </summary>
internal static class SignInKeyCommands
{
    public static Command Build()
    {
        var keys = new Command("signin-keys", "The sign-in provider's keys (kept encrypted in the database)");

        var list = new Command("list", "List the keys: active, published (signing soon) or retired");
        list.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var all = await cli.Get<SignInKeyAdmin>().ListAsync(ct);
            var now = cli.Get<TimeProvider>().GetUtcNow();
            cli.Print(all.Select(k => SignInAdminEndpoints.Key(k, now)), () => all.Count == 0
                ? "no keys yet: the server creates them on its first start"
                : string.Join('\n', all.Select(k =>
                    $"{k.KeyId,-18} {k.Use.ToString().ToLowerInvariant(),-10} activates {k.ActivatesAt:u}  retires "
                        + $"{(k.RetiresAt is { } r ? r.ToString("u") : "-")}")));
            return 0;
        }));

        var rotate = new Command(
            "rotate",
            "Add new signing and encryption keys: published now, signing after SignIn:KeyPublishLead");
        rotate.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var now = cli.Get<TimeProvider>().GetUtcNow();
            var added = await cli.Get<SignInKeyAdmin>().RotateAsync(ct);
            cli.Print(added.Select(k => SignInAdminEndpoints.Key(k, now)), () =>
                $"new keys {string.Join(", ", added.Select(k => k.KeyId))}: published now, "
                    + $"in use from {added[0].ActivatesAt:u}; running servers pick them up within a minute");
            return 0;
        }));

        keys.Subcommands.Add(list);
        keys.Subcommands.Add(rotate);
        return keys;
    }
}
