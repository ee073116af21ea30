using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Hosting;

/// <summary>The real executable with bad settings: one line naming every bad key, exit 1, nothing opened.</summary>
public sealed class InvalidSettingsTests : IDisposable
{
    private readonly TempDirectory _data = new("backcall-bad-settings");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Serve_prints_one_line_naming_each_bad_key_and_exits_without_opening_anything()
    {
        await File.WriteAllTextAsync(Path.Combine(_data.Path, "backcall.json"), """
            {
              "Server": { "TrustedProxies": [ "proxy.local" ] },
              "Webhooks": { "Timeout": "00:00:00.010" },
              "Sip": { "RejectCode": 200 },
              "Storage": { "Postgres": "nonsense=1" }
            }
            """);

        var result = await BackcallProcess.RunCliAsync(
            _data.Path, "serve", "--http", "http://127.0.0.1:0", "--sip", "udp:127.0.0.1:0");

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n'));
        Assert.StartsWith("backcall: ", line, StringComparison.Ordinal);
        foreach (var key in new[] { "Server:TrustedProxies", "Webhooks:Timeout", "Sip:RejectCode", "Storage:Postgres" })
        {
            Assert.Contains(key, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_data.Path, "backcall.db")), "the database was opened before the check");
        Assert.False(File.Exists(Path.Combine(_data.Path, "admin.key")), "keys were made before the check");
    }

    [Fact]
    public async Task An_operator_command_checks_the_same_settings()
    {
        await File.WriteAllTextAsync(
            Path.Combine(_data.Path, "backcall.json"), """{ "Webhooks": { "AllowedNetworks": [ "intranet" ] } }""");

        var result = await BackcallProcess.RunCliAsync(_data.Path, "token", "list");

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n'));
        const string Expected = "Webhooks:AllowedNetworks 'intranet' is not an IP address or a CIDR block";
        Assert.Contains(Expected, line, StringComparison.Ordinal);
    }
}
