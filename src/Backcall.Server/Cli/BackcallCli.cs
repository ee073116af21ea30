using System.CommandLine;

namespace Backcall.Server.Cli;

/// <summary>The <c>backcall</c> command line: the server and the operator's commands in one executable.</summary>
public static class BackcallCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Backcall: phone-number verification by a reverse call. Without a command: serve.");
        ServeCommand.AddOptions(root);
        root.SetAction(ServeCommand.RunAsync);
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(TokenCommands.Build());
        root.Subcommands.Add(NumberCommands.Build());
        root.Subcommands.Add(CallCommand.Build());
        root.Subcommands.Add(WebhookCommands.Build());
        root.Subcommands.Add(TrunkCommands.Build());
        root.Subcommands.Add(ClientCommands.Build());
        root.Subcommands.Add(SignInKeyCommands.Build());
        AddCommonOptions(root);
        return root;
    }

    /// <summary>
    /// --data and --db on every command that runs (they all read the data), --json on those that print
    /// results; not on the groups (token, number, webhook), so each --help lists only what applies.
    /// </summary>
    private static void AddCommonOptions(Command command)
    {
        if (command.Action is not null)
        {
            command.Options.Add(CommonOptions.Data);
            command.Options.Add(CommonOptions.Db);
            if (command is not RootCommand && command.Name != "serve")
            {
                command.Options.Add(CommonOptions.Json);
            }
        }

        foreach (var sub in command.Subcommands)
        {
            AddCommonOptions(sub);
        }
    }
}
