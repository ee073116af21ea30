using Backcall.Server.Cli;

return await BackcallCli.Build().Parse(args).InvokeAsync();
