using System.CommandLine;
using Backcall.Core.Calls;
using Backcall.Core.Storage;
using Backcall.Server.Hosting;

namespace Backcall.Server.Cli;

/// <summary>
/// What a server made of a call placed by <c>backcall call</c>: its row in the call log, found by Call-ID in
/// the data the command was pointed at (--data or --db). Nothing is created when that data does not exist
/// (e.g. a call to another machine's server): the outcome is then simply unknown.
/// </summary>
internal static class CallOutcomeLookup
{
    /// <summary>The server logs the call as it answers; wait for the row at most this long.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static async Task<CallLogEntry?> FindAsync(
        ParseResult parse,
        string callId,
        CancellationToken cancellationToken)
    {
        var data = parse.GetValue(CommonOptions.Data) ?? new ServerOptions().DataDirectory;
        if (parse.GetValue(CommonOptions.Db) is null && !File.Exists(Path.Combine(data, "backcall.db")))
        {
            return null;
        }

        await using var cli = await CliContext.OpenAsync(parse, cancellationToken);
        var store = cli.Get<IBackcallStore>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Wait);
        try
        {
            while (true)
            {
                var calls = await store.ListCallsAsync(new CallQuery(Limit: 200), deadline.Token);
                if (calls.FirstOrDefault(c => c.CallId == callId) is { } entry)
                {
                    return entry;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>"matched authorization 100001", "wrong caller", ...; or why it is not known.</summary>
    public static string Describe(CallLogEntry? entry) => entry is null
        ? "outcome unknown (not in this data directory's call log; use --data or --db of the server called)"
        : entry.Outcome.ToWire().Replace('_', ' ') + (entry.AuthorizationId is { } id ? $" authorization {id}" : "");
}
