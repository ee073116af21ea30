using System.CommandLine;

namespace Backcall.Server.Cli;

/// <summary>Runs a command body and turns expected failures into a one-line error and exit code 1.</summary>
internal static class CliErrors
{
    public static async Task<int> RunAsync(ParseResult parse, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or Microsoft.Data.Sqlite.SqliteException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("backcall: " + ex.Message);
            return 1;
        }
    }

    public static int NotFound(ParseResult parse, string what)
    {
        parse.InvocationConfiguration.Error.WriteLine($"backcall: {what} not found");
        return 2;
    }
}
