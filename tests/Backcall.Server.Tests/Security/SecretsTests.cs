using System.Net;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Security;

/// <summary>
/// Secrets at rest (owner-only files) and in logs (never a token), the admin key's strength and sign-in throttling.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretsTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_database_and_its_wal_and_shm_are_owner_only_even_under_umask_000()
    {
        await using var server = await BackcallProcess.StartAsync(umask: "000");
        await server.AddNumbersAsync("+79640000001");
        await server.CreateTokenAsync();

        foreach (var name in new[] { "backcall.db", "backcall.db-wal", "backcall.db-shm", "admin.key", "pbx.key" })
        {
            var path = Path.Combine(server.DataDirectory, name);
            Assert.True(File.Exists(path), name + " missing");
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public async Task An_existing_database_readable_by_others_is_made_owner_only()
    {
        using var data = new TempDirectory("backcall-data");
        var db = Path.Combine(data.Path, "backcall.db");
        await File.WriteAllBytesAsync(db, []);
        File.SetUnixFileMode(db, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var server = await BackcallProcess.StartAsync(dataDirectory: data.Path);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(db));
    }

    [Fact]
    public async Task At_trace_level_no_line_of_any_logger_holds_a_token()
    {
        await using var server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Trace",
            ["Logging__LogLevel__Microsoft"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace",
            ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
        });
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        var (_, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567");
        var id = created["data"]!["id"]!.GetValue<long>();
        await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
        await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/x");
        await client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/");
        await client.GetJsonAsync($"api/v1/authcalls/{token}/no_such_action");
        await client.GetJsonAsync($"api/v1/authcalls/{token}1/get_balance/");
        using var post = new HttpRequestMessage(HttpMethod.Post, $"api/v1/authcalls/{token}/reverse_auth_phone_post")
        {
            Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"),
        };
        await client.SendAsync(post);
        using var wrongMethod = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/authcalls/{token}/get_balance");
        await client.SendAsync(wrongMethod);
        await client.GetStringAsync("healthz");

        // The framework's own request lines are there (so the scan means something), redacted.
        await server.AssertOutputAsync("Request starting");
        await server.AssertOutputAsync("/api/v1/authcalls/{token}/get_balance");
        var leaks = server.Output.Where(l => l.Contains(token, StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "token in the log:\n" + string.Join('\n', leaks));
    }

    [Fact]
    public async Task A_configured_admin_key_shorter_than_32_characters_is_refused()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BackcallProcess.StartAsync(
            environment: new Dictionary<string, string> { ["BACKCALL_Server__AdminKey"] = "short-admin-key" }));
        Assert.Contains("Server:AdminKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);

        await using var server = await BackcallProcess.StartAsync(
            environment: new Dictionary<string, string> { ["BACKCALL_Server__AdminKey"] = new string('k', 32) });
        Assert.False(server.OutputContains("admin key created"));
    }

    [Fact]
    public async Task Failed_sign_ins_are_throttled_per_address_and_a_right_key_is_not_counted()
    {
        await using var server = await BackcallProcess.StartAsync();

        // A right key signs in and does not count, however many times.
        for (var i = 0; i < 12; i++)
        {
            using var operatorClient = server.CreateClient();
            var response = await SignInAsync(operatorClient, server.AdminKey);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response);
        }

        // Wrong keys: refused with 401 until the burst is spent, then 429 (one refill per 6 s cannot keep up).
        using var client = server.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            statuses.Add(await SignInAsync(client, "wrong-" + i));
            if (statuses[^1] == HttpStatusCode.TooManyRequests)
            {
                break;
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.True(statuses.Count > 10, $"throttled after {statuses.Count - 1} failures");
    }

    /// <summary>Signs in as the console's form does (with its anti-forgery token); returns the status.</summary>
    private static async Task<HttpStatusCode> SignInAsync(HttpClient client, string key)
    {
        var page = await client.GetStringAsync("admin/login");
        var csrf = System.Text.RegularExpressions.Regex.Match(page, "name=\"__csrf\" value=\"([^\"]+)\"")
            .Groups[1].Value;
        Assert.NotEmpty(csrf);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = csrf, ["key"] = key });
        using var response = await client.PostAsync("admin/login", form);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Assert.NotNull(response.Headers.RetryAfter);
        }

        return response.StatusCode;
    }
}
