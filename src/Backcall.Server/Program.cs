using System.CommandLine.Invocation;
using Backcall.Server.Cli;

var parse = BackcallCli.Build().Parse(args);
if (parse.Action is ParseErrorAction error)
{
    // A mistyped command gets its one-line error (and a typo hint), not the whole help page.
    error.ShowHelp = false;
}

return await parse.InvokeAsync();
