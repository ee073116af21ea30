using System.CommandLine;

namespace Backcall.Server.Cli;

/// <summary>
/// Options the commands share: where the data is, and how to print (added per command by BackcallCli).
/// </summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data directory (SQLite database, keys). Default: ./data",
    };

    public static readonly Option<string?> Db = new("--db")
    {
        Description = "PostgreSQL connection string (Host=…;Database=…); default: SQLite in the data directory",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON, for scripts",
    };

    /// <summary>The configuration keys the common flags set.</summary>
    public static Dictionary<string, string?> Flags(ParseResult parse) => new()
    {
        ["Server:DataDirectory"] = parse.GetValue(Data),
        ["Storage:Postgres"] = parse.GetValue(Db),
    };
}
