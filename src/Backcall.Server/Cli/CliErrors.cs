using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Cli;

/// <summary>
/// Runs a command body and turns expected failures into one line on standard error that names what is
/// wrong and the fix, never a stack trace. Exit codes, the same for every command: 1 a usage, configuration
/// or start-up error; 2 not found; 3 and 4 are <c>call</c>'s (no answer, not a rejection).
/// </summary>
internal static partial class CliErrors
{
    public const int Failed = 1;
    public const int NotFoundExitCode = 2;

    public static async Task<int> RunAsync(ParseResult parse, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex)
            when (ex
                    is ArgumentException
                        or InvalidOperationException
                        or IOException
                        or UnauthorizedAccessException
                        or OptionsValidationException
                        or Microsoft.Data.Sqlite.SqliteException
                        or System.Net.Sockets.SocketException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("backcall: " + Describe(ex));
            return Failed;
        }
    }

    public static int NotFound(ParseResult parse, string what)
    {
        parse.InvocationConfiguration.Error.WriteLine($"backcall: {what} not found");
        return NotFoundExitCode;
    }

    /// <summary>
    /// The one line for a failure: configuration keys by their names, listen errors with the address.
    /// </summary>
    public static string Describe(Exception ex) =>
        ex switch
        {
            OptionsValidationException options => "invalid configuration: "
                + string.Join("; ", options.Failures.Select(f => Readable(f, options.OptionsType))),
            InvalidOperationException when ConversionFailure().Match(ex.Message) is { Success: true } m =>
                $"invalid configuration: {m.Groups["key"].Value} is '{m.Groups["value"].Value}', "
                    + $"which is not {Expected(m.Groups["type"].Value)}",
            IOException when BindFailure().Match(ex.Message) is { Success: true } m =>
                $"cannot listen on {m.Groups["url"].Value}: {m.Groups["reason"].Value} "
                    + "(another program has it? choose another with --http)",
            System.Net.Sockets.SocketException socket => $"cannot listen: {socket.Message} (check --http and --sip)",
            _ => ex.Message,
        };

    /// <summary>
    /// "DataAnnotation validation failed for 'X' members: 'Y' with the error: 'Z'." → "Section:Y: Z".
    /// </summary>
    private static string Readable(string failure, Type optionsType)
    {
        var m = DataAnnotationFailure().Match(failure);
        if (!m.Success)
        {
            return failure.TrimEnd('.');
        }

        var section = optionsType.GetField("Section")?.GetRawConstantValue() as string
            ?? optionsType.GetField("SectionName")?.GetRawConstantValue() as string
            ?? optionsType.Name;
        return $"{section}:{m.Groups["member"].Value}: {m.Groups["error"].Value.TrimEnd('.')}";
    }

    private static string Expected(string type) => FindType(type) switch
    {
        { IsEnum: true } e => "one of " + string.Join(", ", Enum.GetNames(e)),
        { } t when t == typeof(TimeSpan) => "a duration such as 00:02:00 (hh:mm:ss)",
        { } t when t == typeof(bool) => "true or false",
        { } t when t == typeof(int) || t == typeof(long) => "a whole number",
        { } t when t == typeof(decimal) || t == typeof(double) => "a number such as 1.5",
        _ => "a " + type[(type.LastIndexOf('.') + 1)..],
    };

    private static Type? FindType(string name) =>
        Type.GetType(name)
        ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);

    [GeneratedRegex(
        @"^DataAnnotation validation failed for '\w+' members: '(?<member>[\w.]+)' with the error: '(?<error>.*)'\.?$",
        RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    [GeneratedRegex(
        @"Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"^Failed to bind to address (?<url>\S+): (?<reason>.+?)\.?$")]
    private static partial Regex BindFailure();
}
