using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.SignIn;

/// <summary>
/// <c>backcall client …</c> and <c>backcall signin-keys …</c> on the data of a real server, and the keys' care at
/// rest: encrypted with an owner-only key file, unusable without it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SignInCliTests : IDisposable
{
    private readonly TempDirectory _data = new("backcall-signin");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Clients_are_created_listed_disabled_rotated_and_removed_and_their_secrets_shown_once()
    {
        var created = await Cli("client", "create", "--name", "Shop", "--redirect-uri", "https://shop.example/cb",
            "--redirect-uri", "http://127.0.0.1:5000/cb", "--json");
        var json = JsonNode.Parse(created.Stdout)!;
        var id = json["details"]!["client_id"]!.GetValue<string>();
        var secret = json["client_secret"]!.GetValue<string>();
        Assert.StartsWith("bcs_", secret, StringComparison.Ordinal);
        Assert.Equal("confidential", json["details"]!["type"]!.GetValue<string>());

        var list = await Cli("client", "list", "--json");
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("https://shop.example/cb", list.Stdout, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(_data.Path, "backcall.db*"))
        {
            Assert.DoesNotContain(
                secret,
                System.Text.Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)),
                StringComparison.Ordinal);
        }

        Assert.Contains("disabled", (await Cli("client", "disable", id)).Stdout, StringComparison.Ordinal);
        Assert.Contains("enabled", (await Cli("client", "enable", id)).Stdout, StringComparison.Ordinal);
        var rotated = JsonNode.Parse((await Cli("client", "rotate-secret", id, "--json")).Stdout)!;
        Assert.NotEqual(secret, rotated["client_secret"]!.GetValue<string>());
        Assert.Contains("removed", (await Cli("client", "remove", id)).Stdout, StringComparison.Ordinal);

        var publicClient = JsonNode.Parse((await Cli(
            "client", "create", "--name", "SPA", "--redirect-uri", "https://spa.example/", "--public",
            "--json")).Stdout)!;
        Assert.Null(publicClient["client_secret"]);
        var spa = publicClient["details"]!["client_id"]!.GetValue<string>();
        AssertOneLineError(
            await BackcallProcess.RunCliAsync(_data.Path, "client", "rotate-secret", spa), 1, "is public");
    }

    [Fact]
    public async Task Just_call_is_offered_by_default_and_switched_off_and_on_per_client()
    {
        var shop = await Cli(
            "client", "create", "--name", "Shop", "--redirect-uri", "https://shop.example/cb", "--json");
        var offered = JsonNode.Parse(shop.Stdout)!["details"]!;
        Assert.True(offered["just_call"]!.GetValue<bool>());
        var created = await Cli(
            "client", "create", "--name", "Bank", "--redirect-uri", "https://bank.example/cb", "--no-just-call",
            "--json");
        var phoneOnly = JsonNode.Parse(created.Stdout)!["details"]!;
        Assert.False(phoneOnly["just_call"]!.GetValue<bool>());

        var bank = phoneOnly["client_id"]!.GetValue<string>();
        var on = await Cli("client", "enable-just-call", bank);
        Assert.Contains("just call offered", on.Stdout, StringComparison.Ordinal);
        var off = await Cli("client", "disable-just-call", bank);
        Assert.Contains("enter-my-phone only", off.Stdout, StringComparison.Ordinal);
        var listed = JsonNode.Parse((await Cli("client", "list", "--json")).Stdout)!.AsArray();
        Assert.False(listed.Single(c => c!["client_id"]!.GetValue<string>() == bank)!["just_call"]!.GetValue<bool>());
        Assert.Contains("JUST CALL", (await Cli("client", "list")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client enable-just-call bc-nobody", 2, "client bc-nobody not found")]
    [InlineData("client disable-just-call bc-nobody", 2, "client bc-nobody not found")]
    [InlineData("client disable bc-nobody", 2, "client bc-nobody not found")]
    [InlineData("client remove bc-nobody", 2, "client bc-nobody not found")]
    [InlineData("client rotate-secret bc-nobody", 2, "client bc-nobody not found")]
    [InlineData("client create --name A --redirect-uri https://a.example/ --token 999", 2, "token 999 not found")]
    [InlineData("client create --name A --redirect-uri http://a.example/cb", 1, "use https")]
    [InlineData("client create --name A --redirect-uri https://a.example/*", 1, "wildcard")]
    [InlineData("client create --name A --redirect-uri https://a.example/#x", 1, "fragment")]
    [InlineData("client create --name A --redirect-uri javascript:alert(1)", 1, "scheme")]
    [InlineData("client create --name A --redirect-uri shop.example/cb", 1, "not an absolute URI")]
    public async Task Bad_input_gets_one_line_and_the_usual_exit_code(string command, int exitCode, string says)
    {
        AssertOneLineError(await BackcallProcess.RunCliAsync(_data.Path, command.Split(' ')), exitCode, says);
    }

    [Fact]
    public async Task Keys_are_encrypted_with_an_owner_only_key_file_and_a_node_without_that_file_signs_nothing()
    {
        // Over plain HTTP the provider answers only when told to (loopback tests); it wants TLS.
        await using (var server = await BackcallProcess.StartAsync(dataDirectory: _data.Path))
        {
            using var plain = server.CreateClient();
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await plain.GetAsync(".well-known/jwks")).StatusCode);
        }

        var http = new Dictionary<string, string> { ["BACKCALL_SignIn__AllowHttp"] = "true" };
        await using (var server = await BackcallProcess.StartAsync(dataDirectory: _data.Path, environment: http))
        {
            using var client = server.CreateClient();
            Assert.Contains("\"keys\"", await client.GetStringAsync(".well-known/jwks"), StringComparison.Ordinal);
        }

        var keyFile = Path.Combine(_data.Path, "oidc.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var keys = JsonNode.Parse((await Cli("signin-keys", "list", "--json")).Stdout)!.AsArray();
        Assert.Equal(["encryption", "secret", "signing"], keys.Select(k => k!["use"]!.GetValue<string>()).Order());

        // Rotation publishes a signing key that signs only later; the current one keeps signing meanwhile.
        var rotated = JsonNode.Parse((await Cli("signin-keys", "rotate", "--json")).Stdout)!.AsArray();
        Assert.All(rotated, k => Assert.Equal("published", k!["state"]!.GetValue<string>()));

        // Another node (or a restored backup) without this key file cannot use the keys: it serves the rest, its
        // sign-in answers 503, and it says why, naming the file.
        File.Move(keyFile, keyFile + ".moved");
        await using var stranger = await BackcallProcess.StartAsync(dataDirectory: _data.Path, environment: http);
        using var plainClient = stranger.CreateClient();
        Assert.Equal(
            System.Net.HttpStatusCode.ServiceUnavailable,
            (await plainClient.GetAsync(".well-known/jwks")).StatusCode);
        Assert.Equal(
            System.Net.HttpStatusCode.ServiceUnavailable,
            (await plainClient.GetAsync("connect/authorize?client_id=x")).StatusCode);
        Assert.Equal("ok", await plainClient.GetStringAsync("healthz"));
        Assert.True(await stranger.WaitForOutputAsync("oidc.key"));
    }

    private async Task<CliResult> Cli(params string[] args)
    {
        var result = await BackcallProcess.RunCliAsync(_data.Path, args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static void AssertOneLineError(CliResult result, int exitCode, string says)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "not one line on stderr:\n" + result.Stderr);
        Assert.StartsWith("backcall: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(says, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
