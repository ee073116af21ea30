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
        catch (System.Net.Sockets.SocketException ex)
        {
            // Typically a port already in use or an address this machine does not have.
            await parse.InvocationConfiguration.Error.WriteLineAsync($"backcall: cannot listen: {ex.Message} (check --http and --sip)");
            return 1;
        }
    }

    public static int NotFound(ParseResult parse, string what)
    {
        parse.InvocationConfiguration.Error.WriteLine($"backcall: {what} not found");
        return 2;
    }
}
