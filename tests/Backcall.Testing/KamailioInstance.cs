using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Backcall.Testing;

/// <summary>
/// A real Kamailio in the foreground (<c>kamailio -DD -E</c>) on a free loopback port, running a given
/// configuration file (the shipped deploy/kamailio/kamailio.cfg in the tests) with <c>-A NAME=value</c>
/// overrides, a runtime directory of its own, and everything stopped and deleted on dispose. Needs the
/// <c>kamailio</c> package, and <c>kamailio-tls-modules</c> for a TLS listener (scripts/install-test-deps.sh installs
/// both).
/// </summary>
public sealed class KamailioInstance : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _kamailio;
    private readonly IReadOnlyList<string> _args;
    private Process _process;

    private KamailioInstance(string root, int port, int? tlsPort, string kamailio, IReadOnlyList<string> args)
    {
        Root = root;
        Port = port;
        TlsPort = tlsPort;
        _kamailio = kamailio;
        _args = args;
        _process = Launch();
    }

    /// <summary>The temp directory: the dispatcher list and the runtime files.</summary>
    public string Root { get; }

    /// <summary>The SIP port, UDP and TCP, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The SIP over TLS port on 127.0.0.1, when started with a certificate.</summary>
    public int? TlsPort { get; }

    public IReadOnlyCollection<string> Output => _output;

    /// <summary>
    /// Waits until Kamailio has printed a line that <paramref name="line"/> accepts; false if it never came.
    /// </summary>
    public Task<bool> WaitForOutputAsync(Func<string, bool> line) => Wait.UntilAsync(() => _output.Any(line));

    /// <summary>
    /// Starts Kamailio with <paramref name="configFile"/>. <paramref name="dispatcherList"/> is written to a
    /// file passed as DISPATCHER_LIST; LISTEN_UDP and LISTEN_TCP are set to the chosen port; other
    /// defines come from <paramref name="defines"/>. With <paramref name="tls"/> (a PEM certificate chain and its key),
    /// WITH_TLS is defined, LISTEN_TLS set to another port, and TLS_CERTIFICATE and TLS_KEY to the files.
    /// </summary>
    public static async Task<KamailioInstance> StartAsync(
        string configFile,
        string dispatcherList,
        IReadOnlyDictionary<string, string> defines,
        (string Certificate, string Key)? tls = null)
    {
        var kamailio = new[] { "/usr/sbin/kamailio", "/usr/local/sbin/kamailio" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kamailio not found; run scripts/install-test-deps.sh");
        var root = Path.Combine(Path.GetTempPath(), "backcall-kamailio-" + Guid.NewGuid().ToString("N")[..16]);
        Directory.CreateDirectory(root);
        var list = Path.Combine(root, "dispatcher.list");
        await File.WriteAllTextAsync(list, dispatcherList);

        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = ExternalProcess.FreeUdpPort();
            int? tlsPort = null;
            var args = new List<string>
            {
                "-f", configFile, "-DD", "-E", "-Y", root, "-P", Path.Combine(root, "kamailio.pid"),
                "-m", "64", "-M", "8",
                "-A", $"LISTEN_UDP=udp:127.0.0.1:{port}",
                "-A", $"LISTEN_TCP=tcp:127.0.0.1:{port}",
                "-A", $"DISPATCHER_LIST=\"{list}\"",
            };
            if (tls is { } files)
            {
                do
                {
                    tlsPort = ExternalProcess.FreeTcpPort();
                }
                while (tlsPort == port);

                args.AddRange(["-A", "WITH_TLS", "-A", $"LISTEN_TLS=tls:127.0.0.1:{tlsPort}"]);
                args.AddRange(["-A", $"TLS_CERTIFICATE=\"{files.Certificate}\"", "-A", $"TLS_KEY=\"{files.Key}\""]);
            }

            foreach (var (name, value) in defines)
            {
                args.AddRange(["-A", $"{name}={value}"]);
            }

            var instance = new KamailioInstance(root, port, tlsPort, kamailio, args);
            try
            {
                await instance.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(20));
                return instance;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                last = ex;
                await instance.StopProcessAsync();
            }
        }

        TryDelete(root);
        throw new InvalidOperationException("Kamailio did not start", last);
    }

    /// <summary>
    /// Kills Kamailio (its memory, e.g. the location table, is lost) and starts it again on the same port.
    /// </summary>
    public async Task RestartAsync()
    {
        await StopProcessAsync();
        _process.Dispose();
        _process = Launch();
        await WaitUntilAnsweringAsync(TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        _process.Dispose();
        TryDelete(Root);
    }

    /// <summary>Waits until Kamailio answers an OPTIONS to itself over UDP (it is then routing).</summary>
    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        if (!await Wait.UntilAsync(() => AnswersOptionsAsync(udp), timeout))
        {
            throw new TimeoutException("kamailio did not answer OPTIONS in time:\n" + string.Join('\n', _output));
        }
    }

    /// <summary>Sends Kamailio one OPTIONS; whether its 200 came back within 250 ms.</summary>
    private async Task<bool> AnswersOptionsAsync(UdpClient udp)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException("kamailio exited:\n" + string.Join('\n', _output));
        }

        var local = (IPEndPoint)udp.Client.LocalEndPoint!;
        var callId = Guid.NewGuid().ToString("N");
        var options = $"OPTIONS sip:127.0.0.1:{Port} SIP/2.0\r\n"
            + $"Via: SIP/2.0/UDP 127.0.0.1:{local.Port};branch=z9hG4bK{callId}\r\n"
            + $"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag={callId[..8]}\r\nTo: <sip:127.0.0.1:{Port}>\r\n"
            + $"Call-ID: {callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        await udp.SendAsync(Encoding.ASCII.GetBytes(options), new IPEndPoint(IPAddress.Loopback, Port));
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(250));
        try
        {
            var reply = await udp.ReceiveAsync(wait.Token);
            return Encoding.ASCII.GetString(reply.Buffer).StartsWith("SIP/2.0 200", StringComparison.Ordinal);
        }
        catch (OperationCanceledException)
        {
            return false; // not up yet
        }
        catch (SocketException)
        {
            return false; // ICMP port unreachable: not bound yet
        }
    }

    private Process Launch()
    {
        var process = new Process
        {
            StartInfo = ExternalProcess.StartInfo(_kamailio, _args),
            EnableRaisingEvents = true,
        };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private async Task StopProcessAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        // Kamailio forks workers; -DD keeps the main process in the foreground and its children die with it.
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

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Temp is cleaned by the OS eventually.
        }
    }
}
