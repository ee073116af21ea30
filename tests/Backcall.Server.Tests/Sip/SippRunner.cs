using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// Runs sipp (a real, independent SIP implementation) with a scenario from <c>Sip/Scenarios</c> against a
/// server on loopback: one process per run, its own working directory (sipp writes its logs there), a free
/// local port, a hard timeout. The Call-ID is <c>{prefix}-{call number}@sipp</c> so tests can find the call
/// in the server's call log.
/// </summary>
public static class SippRunner
{
    private static readonly string ScenarioDirectory = Path.Combine(AppContext.BaseDirectory, "Sip", "Scenarios");

    /// <summary>
    /// Runs the scenario and fails the test, with sipp's output and logs, unless every call succeeded.
    /// </summary>
    public static async Task<SippRun> RunOkAsync(string scenario, SippOptions options)
    {
        var run = await RunAsync(scenario, options);
        if (run.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"sipp {scenario} failed:\n{run}");
        }

        return run;
    }

    public static async Task<SippRun> RunAsync(string scenario, SippOptions options)
    {
        var sipp = FindSipp();
        var file = Path.Combine(ScenarioDirectory, scenario);
        if (!File.Exists(file))
        {
            throw new FileNotFoundException("No such scenario (is it copied to the output?)", file);
        }

        using var work = new TempDirectory("sipp");
        var info = new ProcessStartInfo(sipp)
        {
            WorkingDirectory = work.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "-sf", file,
            "-m", options.Calls.ToString(CultureInfo.InvariantCulture),
            "-nostdin",
            "-t", options.Transport == SipTransportKind.Udp ? "u1" : "t1",
            "-i", options.LocalIp,
            "-bind_local", // send from -i exactly: the trust tests depend on the source address
            "-p", FreePort(options.LocalIp).ToString(CultureInfo.InvariantCulture),
            "-cid_str", options.CallIdPrefix + "-%u@sipp",
            "-trace_err", "-error_file", "errors.log",
            "-trace_msg", "-message_file", "messages.log",
            "-trace_logs", "-log_file", "logs.log",
            "-timeout", ((int)options.Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            "-timeout_error",
        ];
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        if (options.Rate is { } rate)
        {
            info.ArgumentList.Add("-r");
            info.ArgumentList.Add(rate.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in options.Keys)
        {
            info.ArgumentList.Add("-key");
            info.ArgumentList.Add(key);
            info.ArgumentList.Add(value);
        }

        info.ArgumentList.Add(options.Remote);

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(options.Timeout + TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return new SippRun(
            process.ExitCode,
            Tail((await stdout) + (await stderr), 3000),
            ReadOrEmpty(Path.Combine(work.Path, "messages.log")),
            ReadOrEmpty(Path.Combine(work.Path, "errors.log")) + ReadOrEmpty(Path.Combine(work.Path, "logs.log")));
    }

    private static string FindSipp()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, "sipp");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "sipp is not installed (Debian package sip-tester); run scripts/install-test-deps.sh");
    }

    /// <summary>A port free for UDP and TCP on the given address a moment ago (sipp listens on both for t1).</summary>
    private static int FreePort(string address)
    {
        var ip = IPAddress.Parse(address);
        for (var i = 0; i < 50; i++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(ip, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(ip, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for TCP; try another.
            }
        }

        throw new InvalidOperationException("no free port on " + address);
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path, Encoding.Latin1) : "";

    private static string Tail(string text, int max) => text.Length <= max ? text : "…" + text[^max..];
}

public enum SipTransportKind
{
    Udp,
    Tcp,
}

/// <summary>How to run one sipp scenario.</summary>
public sealed record SippOptions(SipTransportKind Transport, string Remote)
{
    /// <summary>Values for the scenario's <c>[key]</c> placeholders (sipp <c>-key</c>).</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = new Dictionary<string, string>();

    /// <summary>Source address; 127.0.0.0/8 is all loopback on Linux, so other trunks are other addresses.</summary>
    public string LocalIp { get; init; } = "127.0.0.1";

    public string CallIdPrefix { get; init; } = "sipp-" + Guid.NewGuid().ToString("N")[..12];

    public int Calls { get; init; } = 1;

    /// <summary>New calls a second (sipp <c>-r</c>); null leaves sipp's default (10).</summary>
    public int? Rate { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The Call-ID of call number <paramref name="n"/> (1-based).</summary>
    public string CallId(int n = 1) => $"{CallIdPrefix}-{n}@sipp";
}

/// <summary>
/// What a sipp run left: exit code (0 = every call succeeded), screen output, message and error logs.
/// </summary>
public sealed record SippRun(int ExitCode, string Output, string MessageLog, string ErrorLog)
{
    /// <summary>The messages sipp sent and received, in order (parsed from <c>-trace_msg</c>).</summary>
    public IReadOnlyList<SippMessage> Messages => SippMessage.Parse(MessageLog);

    public override string ToString() =>
        $"exit {ExitCode}\n--- errors ---\n{ErrorLog}\n--- messages ---\n{MessageLog}\n--- output ---\n{Output}";
}

public sealed record SippMessage(bool Sent, DateTime At, string Text)
{
    private const string Separator = "----------------------------------------------- ";
    private const string DeadCallSeparator = "\n-----------------------------------------------\nDead call ";

    public string FirstLine => Text.Split("\n", 2)[0].TrimEnd('\r');

    public static IReadOnlyList<SippMessage> Parse(string log)
    {
        var messages = new List<SippMessage>();
        foreach (var block in log.Split(Separator, StringSplitOptions.RemoveEmptyEntries))
        {
            // "<date> <time>\n<UDP|TCP> message sent (N bytes):\n\n<message>"
            var lines = block.Split('\n');
            if (lines.Length < 3
                || !DateTime.TryParse(lines[0].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                continue;
            }

            var sent = lines[1].Contains(" sent ", StringComparison.Ordinal);
            var text = string.Join('\n', lines.Skip(2)).TrimStart('\r', '\n');

            // A message for a call sipp has already ended (a retransmitted final response that crossed our ACK)
            // follows under a bare dashed line, "Dead call <id> received a <transport> message:", and no date: it
            // is a message of its own, received at about the same time, not the end of the one before.
            var dead = text.IndexOf(DeadCallSeparator, StringComparison.Ordinal);
            if (dead >= 0)
            {
                var note = text[(dead + DeadCallSeparator.Length)..].Split('\n', 2);
                messages.Add(new SippMessage(sent, at, text[..dead] + "\n"));
                messages.Add(new SippMessage(false, at, note.Length > 1 ? note[1].TrimStart('\r', '\n') : ""));
                continue;
            }

            messages.Add(new SippMessage(sent, at, text));
        }

        return messages;
    }
}
