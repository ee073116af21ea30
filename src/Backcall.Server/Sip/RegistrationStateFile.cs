using System.Diagnostics;
using System.Text.Json;
using Backcall.Server.Admin;
using Backcall.Server.Hosting;
using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Sip;

/// <summary>
/// The registrations' live state, kept by the running server in <c>sip-registrations.json</c> in the data
/// directory (rewritten atomically on each change) so that <c>backcall trunk list</c>, another process,
/// can show it without an HTTP round trip or the admin key. The file names the writing process, so a
/// state left behind by a killed server is shown as unknown rather than believed.
/// </summary>
public sealed class RegistrationStateFile(
    IOptions<ServerOptions> options,
    ILogger<RegistrationStateFile>? logger = null)
{
    public const string FileName = "sip-registrations.json";

    private readonly Lock _lock = new();

    private string FilePath => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), FileName);

    /// <summary>
    /// Replaces the file; a failure (disk full, read-only directory) is logged, never thrown at the registration.
    /// </summary>
    public void Write(IReadOnlyList<RegistrationStatus> registrations)
    {
        var json = JsonSerializer.Serialize(new Snapshot(Environment.ProcessId, registrations), AdminJson.Options);
        lock (_lock)
        {
            try
            {
                var temp = FilePath + ".tmp";
                File.WriteAllText(temp, json);
                File.Move(temp, FilePath, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (logger is not null)
                {
                    SipBridgeLog.StateFileFailed(logger, FilePath, ex.Message);
                }
            }
        }
    }

    /// <summary>The state the running server last wrote; empty when there is none or its server is gone.</summary>
    public IReadOnlyList<RegistrationStatus> ReadLive()
    {
        try
        {
            var snapshot = JsonSerializer.Deserialize<Snapshot>(File.ReadAllText(FilePath), AdminJson.Options);
            return snapshot is not null && IsRunning(snapshot.Pid) ? snapshot.Registrations : [];
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed record Snapshot(int Pid, IReadOnlyList<RegistrationStatus> Registrations);
}
