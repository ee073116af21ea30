using System.Net;
using System.Net.Sockets;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Cli;

/// <summary>
/// What a newcomer sees when the server cannot start or a command is wrong: one line on standard error
/// naming what is wrong and the fix, no stack trace, a non-zero exit code that means the same everywhere.
/// </summary>
public sealed class StartErrorsTests : IDisposable
{
    private readonly TempDirectory _data = new("backcall-cli");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_http_address_in_use_names_the_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var result = await Serve("--http", url);

        AssertOneLineError(result, 1);
        Assert.Contains($"cannot listen on {url}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--http", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sip_address_in_use_names_the_endpoint()
    {
        using var taken = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = $"udp:127.0.0.1:{((IPEndPoint)taken.Client.LocalEndPoint!).Port}";

        var result = await Serve("--sip", $"tcp:127.0.0.1:0,{endpoint}");

        AssertOneLineError(result, 1);
        Assert.Contains($"cannot listen for SIP on {endpoint}:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--sip", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_written_names_its_path()
    {
        // Under a regular file: no user, root included, can create a directory there.
        var file = Path.Combine(_data.Path, "a-file");
        await File.WriteAllTextAsync(file, "");
        var data = Path.Combine(file, "data");

        foreach (var args in new[]
        {
            new[] { "serve", "--http", "http://127.0.0.1:0", "--sip", "udp:127.0.0.1:0" },
            ["token", "list"],
        })
        {
            var result = await BackcallProcess.RunCliAsync(data, args);
            AssertOneLineError(result, 1);
            Assert.Contains($"cannot write the data directory {data}", result.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"Server":{"PublicBaseUrl":"not a url"}}""", "Server:PublicBaseUrl")]
    [InlineData(
        """{"Authorizations":{"Lifetime":"two minutes"}}""",
        "Authorizations:Lifetime is 'two minutes', which is not a duration such as 00:02:00")]
    [InlineData("""{"Sip":{"UntrustedPolicy":"maybe"}}""", "Sip:UntrustedPolicy is 'maybe', which is not one of ")]
    [InlineData("""{"Server":{"AdminKey":"too-short"}}""", "Server:AdminKey is 9 characters; use at least 32")]
    public async Task An_invalid_option_names_its_key_and_what_is_allowed(string settings, string expected)
    {
        await File.WriteAllTextAsync(Path.Combine(_data.Path, "backcall.json"), settings);

        var result = await Serve();

        AssertOneLineError(result, 1);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("DataAnnotation", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_found_is_exit_code_2_for_every_command()
    {
        foreach (var args in new[]
        {
            ["token", "disable", "999"],
            ["token", "topup", "999", "--amount", "1"],
            ["number", "remove", "+79640009999"],
            ["webhook", "retry", "msg_nope"],
            new[] { "webhook", "show", "msg_nope" },
        })
        {
            var result = await BackcallProcess.RunCliAsync(_data.Path, args);
            Assert.True(result.ExitCode == 2, string.Join(' ', args) + ": " + result);
            Assert.Contains("not", result.Stderr + result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("serve", "--http", "--json")]
    [InlineData("call", "--json", "--http")]
    [InlineData("token create", "--json", "--http")]
    [InlineData("token", "create", "--data")]
    public async Task Help_lists_only_the_options_the_command_uses(string command, string listed, string absent)
    {
        var result = await BackcallProcess.RunCliAsync(_data.Path, [.. command.Split(' '), "--help"]);
        var options = result.Stdout[result.Stdout.IndexOf("Options:", StringComparison.Ordinal)..];
        Assert.Contains(listed, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, options, StringComparison.Ordinal);
    }

    private Task<CliResult> Serve(params string[] args)
    {
        string[] defaults =
        [
            .. args.Contains("--http") ? [] : new[] { "--http", "http://127.0.0.1:0" },
            .. args.Contains("--sip") ? [] : new[] { "--sip", "udp:127.0.0.1:0" },
        ];
        return BackcallProcess.RunCliAsync(_data.Path, ["serve", .. defaults, .. args]);
    }

    private static void AssertOneLineError(CliResult result, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "not one line on stderr:\n" + result.Stderr);
        Assert.StartsWith("backcall: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
