using System.Diagnostics;

namespace Backcall.Testing;

/// <summary>Runs system programs for the fixtures, dropping root where the program refuses it.</summary>
public static class ExternalProcess
{
    /// <summary>True when this test process runs as root (CI containers often do).</summary>
    public static bool IsRoot { get; } = !OperatingSystem.IsWindows() && Environment.UserName == "root";

    /// <summary>Runs a program to completion and throws with its output when it fails.</summary>
    public static async Task<string> RunAsync(
        string program, IEnumerable<string> args, string? runAs = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(program, args, runAs))
            ?? throw new InvalidOperationException("could not start " + program);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in time");
        }

        var output = (await stdout) + (await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{output}");
        }

        return output;
    }

    /// <summary>
    /// A start info for <paramref name="program"/>, run as <paramref name="runAs"/> through <c>runuser</c>
    /// when this process is root (and directly otherwise).
    /// </summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> args, string? runAs = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (runAs is not null && IsRoot)
        {
            info.FileName = "runuser";
            foreach (var a in new[] { "-u", runAs, "--", program })
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            info.FileName = program;
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreeTcpPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago (also free for TCP, for SIP on both).</summary>
    public static int FreeUdpPort()
    {
        for (var i = 0; i < 20; i++)
        {
            using var udp = new System.Net.Sockets.UdpClient(
                new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            var port = ((System.Net.IPEndPoint)udp.Client.LocalEndPoint!).Port;
            try
            {
                var tcp = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                tcp.Start();
                tcp.Stop();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Taken for TCP; try another.
            }
        }

        throw new InvalidOperationException("no free UDP+TCP port on 127.0.0.1");
    }
}
