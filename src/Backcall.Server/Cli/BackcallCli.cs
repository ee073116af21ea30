using System.CommandLine;

namespace Backcall.Server.Cli;

/// <summary>The <c>backcall</c> command line: the server and the operator's commands in one executable.</summary>
public static class BackcallCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Backcall: phone-number verification by a reverse call. Without a command: serve.");
        root.Options.Add(CommonOptions.Data);
        root.Options.Add(CommonOptions.Db);
        root.Options.Add(CommonOptions.Json);
        ServeCommand.AddOptions(root);
        root.SetAction(ServeCommand.RunAsync);
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(TokenCommands.Build());
        root.Subcommands.Add(NumberCommands.Build());
        root.Subcommands.Add(CallCommand.Build());
        root.Subcommands.Add(WebhookCommands.Build());
        return root;
    }
}
