using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Cli;

/// <summary>The operator commands of the real executable, on a data directory of their own.</summary>
public sealed class OperatorCliTests : IDisposable
{
    private readonly TempDirectory _data = new("backcall-cli");

    public void Dispose() => _data.Dispose();

    private Task<CliResult> Run(params string[] args) => BackcallProcess.RunCliAsync(_data.Path, args);

    [Fact]
    public async Task Token_create_prints_the_token_once_and_list_never()
    {
        var created = await Run("token", "create", "--name", "shop", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var json = JsonNode.Parse(created.Stdout)!;
        var token = json["token"]!.GetValue<string>();
        Assert.True(Guid.TryParse(token, out _));
        Assert.StartsWith("whsec_", json["webhook_secret"]!.GetValue<string>(), StringComparison.Ordinal);

        var list = await Run("token", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain(token, list.Stdout, StringComparison.Ordinal);
        var row = Assert.Single(JsonNode.Parse(list.Stdout)!.AsArray());
        Assert.Equal("shop", row!["name"]!.GetValue<string>());
        Assert.Equal(50, row["free_requests_left"]!.GetValue<int>());
        Assert.Equal(token[..8], row["prefix"]!.GetValue<string>());

        var human = await Run("token", "list");
        Assert.Contains("shop", human.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_changes_and_their_errors()
    {
        await Run("token", "create", "--name", "shop");
        var topup = await Run("token", "topup", "1", "--amount", "12.50", "--json");
        Assert.True(topup.ExitCode == 0, topup.ToString());
        Assert.Equal(12.5m, JsonNode.Parse(topup.Stdout)!["balance"]!.GetValue<decimal>());

        var disabled = await Run("token", "disable", "1", "--json");
        Assert.True(JsonNode.Parse(disabled.Stdout)!["disabled"]!.GetValue<bool>());

        var missing = await Run("token", "disable", "42");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr, StringComparison.Ordinal);

        var zero = await Run("token", "topup", "1", "--amount", "0");
        Assert.Equal(1, zero.ExitCode);
        Assert.Contains("non-zero", zero.Stderr, StringComparison.Ordinal);

        var noName = await Run("token", "create");
        Assert.NotEqual(0, noName.ExitCode);
        Assert.Contains("--name", noName.Stderr, StringComparison.Ordinal);

        var badAmount = await Run("token", "topup", "1", "--amount", "lots");
        Assert.NotEqual(0, badAmount.ExitCode);
    }

    [Fact]
    public async Task Number_add_list_disable_remove()
    {
        var add = await Run("number", "add", "+79640000001", "89640000002");
        Assert.True(add.ExitCode == 0, add.ToString());
        var again = await Run("number", "add", "+79640000001");
        Assert.Contains("already", again.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await Run("number", "disable", "+79640000002")).ExitCode);
        var list = JsonNode.Parse((await Run("number", "list", "--json")).Stdout)!.AsArray();
        Assert.Equal(["+79640000001", "+79640000002"], list.Select(n => n!["number"]!.GetValue<string>()));
        Assert.Equal([true, false], list.Select(n => n!["enabled"]!.GetValue<bool>()));

        Assert.Equal(0, (await Run("number", "remove", "+79640000001")).ExitCode);
        Assert.Equal(2, (await Run("number", "remove", "+79640000001")).ExitCode);
        Assert.Single(JsonNode.Parse((await Run("number", "list", "--json")).Stdout)!.AsArray());
    }

    [Fact]
    public async Task A_bad_number_in_a_list_changes_nothing()
    {
        var bad = await Run("number", "add", "+79640000001", "call-me-maybe");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("call-me-maybe", bad.Stderr, StringComparison.Ordinal);
        Assert.Empty(JsonNode.Parse((await Run("number", "list", "--json")).Stdout)!.AsArray());
    }

    [Fact]
    public async Task Unknown_command_and_bad_flags_are_errors()
    {
        var unknown = await Run("frobnicate");
        Assert.NotEqual(0, unknown.ExitCode);
        var badHttp = await Run("serve", "--http", "not a url");
        Assert.Equal(1, badHttp.ExitCode);
        Assert.Contains("--http", badHttp.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_api_needs_the_admin_key()
    {
        await using var server = await BackcallProcess.StartAsync(dataDirectory: _data.Path);
        using var anonymous = server.CreateClient();
        using var refused = await anonymous.GetAsync("api/admin/tokens");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        using var wrong = server.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-key");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await wrong.GetAsync("api/admin/tokens")).StatusCode);

        using var admin = server.CreateAdminClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync("api/admin/tokens")).StatusCode);
        using var bad = await admin.PostAsync(
            "api/admin/numbers",
            new StringContent("""{"number":"nope"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("nope", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // In production the first start says where the key is, never the key itself; the file is owner-only.
        await server.AssertOutputAsync("admin key created in " + Path.Combine(_data.Path, "admin.key"));
        Assert.False(server.OutputContains(server.AdminKey), "the admin key was printed");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite,
                File.GetUnixFileMode(Path.Combine(_data.Path, "admin.key")));
        }
    }
}
