using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Backcall.Testing;

namespace Backcall.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>backcall</c> executable as a child process on loopback: started with <c>serve</c> on a free
/// port and a data directory of its own, killed with SIGKILL or stopped with SIGTERM, restarted on the same
/// data. Every line it prints is kept, so tests can look for what it logged.
/// </summary>
public sealed partial class BackcallProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3); // a start on a busy machine
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<string> _extraArgs;
    private readonly Dictionary<string, string> _environment;
    private readonly TempDirectory? _ownedData;
    private readonly string? _umask;
    private Process? _process;

    private BackcallProcess(
        string dataDirectory,
        TempDirectory? owned,
        IEnumerable<string> extraArgs,
        IDictionary<string, string>? environment,
        string? umask)
    {
        _umask = umask;
        DataDirectory = dataDirectory;
        _ownedData = owned;
        _extraArgs = [.. extraArgs];
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
    }

    public string DataDirectory { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Endpoints other than HTTP the server announced (e.g. "sip udp" → "127.0.0.1:5060").</summary>
    public ConcurrentDictionary<string, string> Announced { get; } = new();

    public string AdminKey => File.ReadAllText(Path.Combine(DataDirectory, "admin.key")).Trim();

    public string PbxKey => File.ReadAllText(Path.Combine(DataDirectory, "pbx.key")).Trim();

    public IReadOnlyCollection<string> Output => _output;

    public int? Pid => _process?.Id;

    /// <summary>
    /// Starts a server on a new data directory (or the given one), under the given umask (octal) if any.
    /// </summary>
    public static async Task<BackcallProcess> StartAsync(
        IEnumerable<string>? extraArgs = null,
        IDictionary<string, string>? environment = null,
        string? dataDirectory = null,
        string? umask = null)
    {
        var owned = dataDirectory is null ? new TempDirectory("backcall-data") : null;
        var process = new BackcallProcess(dataDirectory ?? owned!.Path, owned, extraArgs ?? [], environment, umask);
        await process.StartAsync();
        return process;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>
    /// Runs <c>backcall ARGS --data DIR</c> against this server's data, with the server's environment (its
    /// configuration, as an operator's shell would have it), and waits for it.
    /// </summary>
    public Task<CliResult> RunCliAsync(params string[] args) => RunCliAsync(DataDirectory, _environment, args);

    public static Task<CliResult> RunCliAsync(string dataDirectory, params string[] args) =>
        RunCliAsync(dataDirectory, new Dictionary<string, string>(), args);

    private static async Task<CliResult> RunCliAsync(
        string dataDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var info = NewStartInfo([.. args, "--data", dataDirectory]);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM and wait: a graceful stop.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            Posix.Terminate(_process.Id);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }
    }

    /// <summary>Starts the same server again on the same data (after a kill or a stop).</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _process?.Dispose();
        await StartAsync();
    }

    public bool OutputContains(string text) => _output.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>
    /// Waits until the server has printed a line containing <paramref name="text"/> (log lines are written
    /// asynchronously), for <see cref="Wait.Within"/> at most; false if it never came.
    /// </summary>
    public Task<bool> WaitForOutputAsync(string text) =>
        WaitForOutputAsync(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>
    /// Waits until the server has printed a line that <paramref name="line"/> accepts; false if it never came.
    /// </summary>
    public Task<bool> WaitForOutputAsync(Func<string, bool> line) => Wait.UntilAsync(() => _output.Any(line));

    /// <summary>
    /// Waits for a line containing <paramref name="text"/> (<see cref="WaitForOutputAsync"/>) and fails the test
    /// with everything the server printed if it never came.
    /// </summary>
    public async Task AssertOutputAsync(string text)
    {
        if (!await WaitForOutputAsync(text))
        {
            Assert.Fail($"the server never printed '{text}':\n{string.Join('\n', Output)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _ownedData?.Dispose();
    }

    private async Task StartAsync()
    {
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        // SIP on loopback ephemeral ports unless the test chose: parallel servers must not fight over 5060.
        string[] sip = _extraArgs.Contains("--sip") ? [] : ["--sip", "udp:127.0.0.1:0,tcp:127.0.0.1:0"];
        var info = NewStartInfo(
            ["serve", "--http", "http://127.0.0.1:0", "--data", DataDirectory, .. sip, .. _extraArgs], _umask);
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data, ready);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, ready);
        process.Exited += (_, _) =>
        {
            // Drain what it printed before saying why it died: the reason is in the last lines.
            process.WaitForExit();
            ready.TrySetException(
                new InvalidOperationException("backcall exited before it was ready:\n" + string.Join('\n', _output)));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            BaseUrl = await ready.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException)
        {
            await KillAsync();
            throw new TimeoutException("backcall did not start in time:\n" + string.Join('\n', _output));
        }
    }

    private void OnLine(string? line, TaskCompletionSource<Uri> ready)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        var http = ListeningLine().Match(line);
        if (http.Success)
        {
            ready.TrySetResult(new Uri(http.Groups[1].Value.TrimEnd('/') + "/"));
            return;
        }

        var other = AnnouncedLine().Match(line);
        if (other.Success)
        {
            Announced[other.Groups[1].Value] = other.Groups[2].Value;
        }
    }

    private static ProcessStartInfo NewStartInfo(IEnumerable<string> args, string? umask = null)
    {
        if (!File.Exists(RepositoryPaths.BackcallDll))
        {
            throw new FileNotFoundException("Build the server first (dotnet build): " + RepositoryPaths.BackcallDll);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (umask is not null)
        {
            // The shell sets the umask, then becomes dotnet: the same process, as a service manager would start it.
            info.FileName = "/bin/sh";
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"umask {umask} && exec dotnet \"$@\"");
            info.ArgumentList.Add("sh");
        }

        info.ArgumentList.Add(RepositoryPaths.BackcallDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        // Production-like unless a test says otherwise; the simple formatter is easier to read in failures.
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return info;
    }

    [GeneratedRegex(@"^backcall: listening on (http\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"^backcall: (\w[\w ]*?) listening on (\S+)")]
    private static partial Regex AnnouncedLine();
}
