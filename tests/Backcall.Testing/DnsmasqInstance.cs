using System.Collections.Concurrent;
using System.Diagnostics;

namespace Backcall.Testing;

/// <summary>
/// A real DNS server for the tests: dnsmasq in the foreground, unprivileged, on a free loopback port, with a
/// configuration of its own (records given by the test, no upstream, no system files read), stopped and
/// deleted on dispose. The system's resolver settings are never touched. Needs the <c>dnsmasq-base</c>
/// package (scripts/install-test-deps.sh installs it).
/// </summary>
public sealed class DnsmasqInstance : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;
    private readonly string _root;

    private DnsmasqInstance(string root, int port, Process process)
    {
        _root = root;
        Port = port;
        _process = process;
    }

    /// <summary>The DNS port on 127.0.0.1 (UDP).</summary>
    public int Port { get; }

    /// <summary>The value for <c>Sip:DnsServers</c>.</summary>
    public string Server => $"127.0.0.1:{Port}";

    public IReadOnlyCollection<string> Output => _output;

    /// <summary>
    /// Starts dnsmasq serving <paramref name="records"/>: dnsmasq configuration lines such as
    /// <c>srv-host=_sip._udp.example.test,sip1.example.test,5060,10,100</c> or
    /// <c>host-record=sip1.example.test,127.0.0.1</c>.
    /// </summary>
    public static async Task<DnsmasqInstance> StartAsync(IEnumerable<string> records)
    {
        var dnsmasq = new[] { "/usr/sbin/dnsmasq", "/usr/local/sbin/dnsmasq" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("dnsmasq not found; run scripts/install-test-deps.sh");
        var root = Path.Combine(Path.GetTempPath(), "backcall-dnsmasq-" + Guid.NewGuid().ToString("N")[..16]);
        Directory.CreateDirectory(root);
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = ExternalProcess.FreeUdpPort();
            var config = Path.Combine(root, "dnsmasq.conf");
            string[] lines =
            [
                $"port={port}", "listen-address=127.0.0.1", "bind-interfaces", "no-resolv", "no-hosts", "no-poll",
                .. records,
            ];
            await File.WriteAllLinesAsync(config, lines);
            if (!OperatingSystem.IsWindows())
            {
                // dnsmasq runs as nobody: it must be able to read its configuration.
                const UnixFileMode readable =
                    UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
                File.SetUnixFileMode(
                    root, readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                File.SetUnixFileMode(config, readable);
            }
            string[] args =
                [$"--conf-file={config}", "--keep-in-foreground", "--log-facility=-", "--pid-file=", "--user="];
            var process = new Process
            {
                StartInfo = ExternalProcess.StartInfo(dnsmasq, args, runAs: "nobody"),
                EnableRaisingEvents = true,
            };
            var instance = new DnsmasqInstance(root, port, process);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            DataReceivedEventHandler onLine = (_, e) =>
            {
                if (e.Data is { } line)
                {
                    instance._output.Enqueue(line);
                    if (line.Contains("started, version", StringComparison.Ordinal))
                    {
                        started.TrySetResult();
                    }
                }
            };
            process.OutputDataReceived += onLine;
            process.ErrorDataReceived += onLine;
            process.Exited += (_, _) => started.TrySetException(
                new InvalidOperationException("dnsmasq exited:\n" + string.Join('\n', instance._output)));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
                return instance;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                last = ex;
                await instance.DisposeAsync();
                Directory.CreateDirectory(root);
            }
        }

        throw new InvalidOperationException("dnsmasq did not start", last);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Left to the OS.
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Temp is cleaned by the OS eventually.
        }
    }
}
