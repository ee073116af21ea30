using Backcall.BenchTool;

// bench-tool COMMAND --option value ...: each command prints its result as "key=value" lines that
// bench/run reads; errors go to stderr with a non-zero exit.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: bench-tool seed|create|pbx-latency|e2e|free-port [--option value]...");
    return 2;
}

var options = Options.Parse(args[1..]);
try
{
    return args[0] switch
    {
        "seed" => Seed.Run(options),
        "create" => await Create.RunAsync(options),
        "pbx-latency" => await PbxLatency.RunAsync(options),
        "e2e" => await EndToEnd.RunAsync(options),
        "free-port" => FreePort.Run(),
        _ => throw new ArgumentException("unknown command " + args[0]),
    };
}
catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or HttpRequestException)
{
    Console.Error.WriteLine("bench-tool: " + ex.Message);
    return 1;
}
