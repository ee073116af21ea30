namespace Backcall.Server.Hosting;

/// <summary>
/// Where settings come from, in rising priority: appsettings*.json, <c>backcall.json</c> in the data
/// directory, <c>BACKCALL_</c> environment variables, command-line flags.
/// </summary>
public static class BackcallConfiguration
{
    public const string EnvironmentPrefix = "BACKCALL_";

    /// <summary>Adds Backcall's own sources on top of the host's defaults.</summary>
    public static void AddBackcallSources(
        this IConfigurationManager configuration,
        IReadOnlyDictionary<string, string?> flags)
    {
        var dataDirectory =
            flags.GetValueOrDefault($"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}")
            ?? configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}"]
            ?? "data";
        configuration.AddJsonFile(
            Path.GetFullPath(Path.Combine(dataDirectory, "backcall.json")),
            optional: true,
            reloadOnChange: false);
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddInMemoryCollection(flags.Where(kv => kv.Value is not null));
    }
}
