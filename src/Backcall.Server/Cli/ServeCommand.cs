using System.CommandLine;
using Backcall.Server.Hosting;

namespace Backcall.Server.Cli;

/// <summary><c>backcall serve [--http URL] [--data DIR]</c>: the default command.</summary>
internal static class ServeCommand
{
    public static readonly Option<string?> Http = new("--http")
    {
        Description = "HTTP listen URL(s), ';'-separated. Default: http://127.0.0.1:8080",
    };

    public static readonly Option<string?> Sip = new("--sip")
    {
        Description =
            "SIP listen endpoints, e.g. udp:0.0.0.0:5060,tcp:0.0.0.0:5060,tls:0.0.0.0:5061 "
                + "(default udp:[::]:5060,tcp:[::]:5060)",
    };

    /// <summary>Flags of serve that set a configuration key.</summary>
    private static readonly (Option Option, string ConfigKey)[] ConfigFlags = [(Sip, "Sip:Endpoints")];

    public static Command Build()
    {
        var serve = new Command("serve", "Run the server (the default command)");
        AddOptions(serve);
        serve.SetAction(RunAsync);
        return serve;
    }

    public static void AddOptions(Command command)
    {
        command.Options.Add(Http);
        foreach (var (option, _) in ConfigFlags)
        {
            command.Options.Add(option);
        }
    }

    public static Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken) =>
        CliErrors.RunAsync(parse, async () =>
        {
            var flags = CommonOptions.Flags(parse);
            foreach (var (option, key) in ConfigFlags)
            {
                if (parse.GetResult(option) is { Implicit: false } result)
                {
                    flags[key] = result.GetValueOrDefault<object?>()?.ToString();
                }
            }

            var http = parse.GetValue(Http);
            if (http is not null)
            {
                foreach (var url in http.Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
                        || (uri.Scheme != "http" && uri.Scheme != "https"))
                    {
                        throw new ArgumentException(
                            $"--http: '{url}' is not an http(s) URL such as http://127.0.0.1:8080");
                    }
                }
            }

            await using var app = BackcallApp.Build([], flags, http);
            return await BackcallApp.RunAsync(app, cancellationToken);
        });
}
