using System.CommandLine;

using System.Text.Json;
using Backcall.Core.Storage;
using Backcall.Server.Admin;
using Backcall.Server.Hosting;

namespace Backcall.Server.Cli;

/// <summary>
/// The services of an operator command: the same registrations as the server, on the same data, without
/// the web host. Changes are written to the database, where a running server picks them up within a
/// quarter of a second.
/// </summary>
internal sealed class CliContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CliContext(ServiceProvider services, bool json, TextWriter output)
    {
        _services = services;
        Json = json;
        Output = output;
    }

    public bool Json { get; }

    public TextWriter Output { get; }

    public static async Task<CliContext> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationManager();
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configuration.AddBackcallSources(CommonOptions.Flags(parse));
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddBackcallServices(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            OptionsRegistration.ValidateAll(services);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }

        await services.GetRequiredService<IBackcallStore>().MigrateAsync(cancellationToken);
        return new CliContext(services, parse.GetValue(CommonOptions.Json), parse.InvocationConfiguration.Output);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Prints a value as JSON (with --json) or as the given human text.</summary>
    public void Print(object value, Func<string> human) =>
        Output.WriteLine(Json ? JsonSerializer.Serialize(value, AdminJson.Options) : human());

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
