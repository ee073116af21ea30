using System.CommandLine;
using Backcall.Core.Pool;
using Backcall.Server.Admin;

namespace Backcall.Server.Cli;

/// <summary><c>backcall number add|list|disable|enable|remove</c>.</summary>
internal static class NumberCommands
{
    public static Command Build()
    {
        var number = new Command("number", "Manage the pool of numbers users call");

        var list = new Command("list", "List the pool");
        list.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var numbers = await cli.Get<NumberAdmin>().ListAsync(ct);
            cli.Print(
                numbers.Select(AdminJson.Number),
                () =>
                    numbers.Count == 0
                        ? "the pool is empty; add a number with: backcall number add +79640000001"
                        : string.Join(
                            '\n',
                            new[] { $"{"NUMBER",-16} {"STATE",-9} {"USED",8}" }.Concat(
                                numbers.Select(n =>
                                    $"{n.Number.Value,-16} {(n.Enabled ? "enabled" : "disabled"),-9} {n.Used,8}"))));
            return 0;
        }));
        number.Subcommands.Add(list);

        number.Subcommands.Add(
            Action(
                "add",
                "Add numbers to the pool",
                (admin, n, ct) => admin.AddAsync(n, ct),
                "added",
                "already in the pool"));
        number.Subcommands.Add(
            Action(
                "disable",
                "Stop handing out numbers (live authorizations on them still complete)",
                (admin, n, ct) => admin.SetEnabledAsync(n, false, ct),
                "disabled",
                "not in the pool"));
        number.Subcommands.Add(
            Action(
                "enable",
                "Hand out disabled numbers again",
                (admin, n, ct) => admin.SetEnabledAsync(n, true, ct),
                "enabled",
                "not in the pool"));
        number.Subcommands.Add(
            Action(
                "remove",
                "Remove numbers from the pool",
                (admin, n, ct) => admin.RemoveAsync(n, ct),
                "removed",
                "not in the pool"));
        return number;
    }

    private static Command Action(
        string verb,
        string description,
        Func<NumberAdmin, string, CancellationToken, Task<bool>> apply,
        string done,
        string notDone)
    {
        var numbers = new Argument<string[]>("numbers")
        {
            Description = "E.164 numbers (+79640000001) or national forms",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command(verb, description) { numbers };
        command.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var admin = cli.Get<NumberAdmin>();
            var values = parse.GetValue(numbers)!;

            // Parse all first: one bad number in a list changes nothing.
            var parsed = values.Select(admin.Parse).ToList();
            var results = new List<object>();
            var exit = 0;
            foreach (var n in parsed)
            {
                var ok = await apply(admin, n.Value, ct);
                exit = ok ? exit : CliErrors.NotFoundExitCode;
                results.Add(new { number = n.Value, result = ok ? done : notDone });
                if (!cli.Json)
                {
                    cli.Output.WriteLine($"{n.Value}: {(ok ? done : notDone)}");
                }
            }

            if (cli.Json)
            {
                cli.Print(results, () => "");
            }

            return verb == "add" ? 0 : exit;
        }));
        return command;
    }
}
