using System.CommandLine;
using System.Globalization;
using Backcall.Server.Hosting;
using Backcall.Server.Sip;
using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Cli;

/// <summary>
/// <c>backcall trunk list</c>: the configured trunks and registrations, each registration with the state the
/// running server keeps in the data directory (<see cref="RegistrationStateFile"/>).
/// </summary>
internal static class TrunkCommands
{
    public static Command Build()
    {
        var trunk = new Command("trunk", "Show how calls come in: trunks and registrations");
        var list = new Command(
            "list",
            "List trunks and registrations, with each registration's state in the running server");
        list.SetAction((parse, ct) => CliErrors.RunAsync(parse, async () =>
        {
            await using var cli = await CliContext.OpenAsync(parse, ct);
            var sip = new SipOptions();
            cli.Get<IConfiguration>().GetSection(SipOptions.SectionName).Bind(sip);
            var live = new RegistrationStateFile(cli.Get<IOptions<ServerOptions>>()).ReadLive();
            var overview = TrunkOverview.From(sip, live, unknownState: RegistrationState.Stopped);
            cli.Print(overview, () => Human(overview, serverRunning: live.Count > 0));
            return 0;
        }));
        trunk.Subcommands.Add(list);
        return trunk;
    }

    private static string Human(TrunkOverview overview, bool serverRunning)
    {
        var lines = new List<string>();
        if (overview.Trunks.Count == 0 && overview.Registrations.Count == 0)
        {
            return "no trunks configured: the default trunk 'local' takes "
                + "calls from 127.0.0.0/8 and ::1 (see docs/sip-trunks.md)";
        }

        if (overview.Trunks.Count > 0)
        {
            lines.Add($"{"TRUNK",-20} {"REGION",-6} {"PAI",-5} SOURCES");
            lines.AddRange(
                overview.Trunks.Select(t =>
                    $"{t.Name,-20} {t.Region,-6} {(t.TrustPai ? "yes" : "no"),-5} {string.Join(", ", t.Sources)}"));
        }

        if (overview.Registrations.Count > 0)
        {
            if (lines.Count > 0)
            {
                lines.Add("");
            }

            lines.Add($"{"REGISTRATION",-20} {"NUMBER",-16} {"REGISTRAR",-28} STATE");
            lines.AddRange(
                overview.Registrations.Select(r =>
                    $"{r.Name,-20} {r.Number,-16} {r.Transport + ":" + r.Registrar,-28} {State(r)}"));
            if (!serverRunning)
            {
                lines.Add("(no running server has written its state to this data directory)");
            }
        }

        return string.Join('\n', lines);
    }

    private static string State(RegistrationStatus r) =>
        r.State switch
        {
            RegistrationState.Registered => $"registered until {Time(r.RegisteredUntil)}",
            RegistrationState.Failing => $"failing: {r.LastStatus} {r.LastReason}; next attempt {Time(r.NextAttempt)}",
            RegistrationState.Starting => "starting",
            _ => "stopped",
        };

    private static string Time(DateTimeOffset? at) =>
        at?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "?";
}
