using System.CommandLine;

namespace Backcall.Server.Cli;

/// <summary>Options every command takes: where the data is, and how to print.</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data directory (SQLite database, keys). Default: ./data",
        Recursive = true,
    };

    public static readonly Option<string?> Db = new("--db")
    {
        Description = "PostgreSQL connection string (Host=…;Database=…); default: SQLite in the data directory",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON, for scripts",
        Recursive = true,
    };

    /// <summary>The configuration keys the common flags set.</summary>
    public static Dictionary<string, string?> Flags(ParseResult parse) => new()
    {
        ["Server:DataDirectory"] = parse.GetValue(Data),
        ["Storage:Postgres"] = parse.GetValue(Db),
    };
}
