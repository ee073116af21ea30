using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Api;

/// <summary>
/// One app (token) must neither deny service to another nor learn of another's calls, and a user who taps
/// twice is never locked out: each test is an abuse tried against the real server.
/// </summary>
public sealed class TenantIsolationTests
{
    private const string Phone = "89001234567";

    [Fact]
    public async Task A_token_without_quota_cannot_lock_a_phone_out_for_other_apps()
    {
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001");
        var (broke, _, _) = await server.CreateTokenAsync(
            "broke", new { free_requests = 0, price = 1m, balance_limit = 0m });
        var (honest, _, _) = await server.CreateTokenAsync("honest");
        using var client = server.CreateClient();

        // More refusals than the per-phone limit (10 in 10 minutes): each is 402 and takes nothing.
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(402, (await client.GetJsonAsync(
                $"api/v1/authcalls/{broke}/reverse_auth_phone_get?phone={Phone}")).Status);
        }

        var (status, body, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{honest}/reverse_auth_phone_get?phone={Phone}");
        Assert.True(status == 200, body.ToJsonString());
    }

    [Fact]
    public async Task A_newer_request_of_a_token_supersedes_its_older_one_and_reuses_the_number()
    {
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();

        var (_, first, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={Phone}");
        var firstId = first["data"]!["id"]!.GetValue<long>();

        // The user taps again; the pool has one number, which the first request held.
        var (status, second, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={Phone}");
        Assert.True(status == 200, second.ToJsonString());
        Assert.Equal(
            first["data"]!["auth_phone"]!.GetValue<string>(), second["data"]!["auth_phone"]!.GetValue<string>());

        var (_, old, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{firstId}");
        Assert.Equal("expired", old["data"]!["status"]!.GetValue<string>());

        // The call confirms the newer request only.
        var call = await server.ReportCallAsync("+79001234567", "+79640000001");
        Assert.Equal(second["data"]!["id"]!.GetValue<long>(), call["authorization_id"]!.GetValue<long>());
        var (_, firstCheck, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_check/{firstId}");
        Assert.Equal("expired", firstCheck["data"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_app_learns_nothing_of_a_call_while_another_apps_user_waits_on_the_number()
    {
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001");
        var (mine, _, _) = await server.CreateTokenAsync("mine");
        var (theirs, _, _) = await server.CreateTokenAsync("theirs");
        using var client = server.CreateClient();
        var (_, a, _) = await client.GetJsonAsync($"api/v1/authcalls/{mine}/reverse_auth_phone_get?phone=89001112233");
        var (_, b, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{theirs}/reverse_auth_phone_get?phone=89004445566");

        // A stranger calls the number both apps' users wait on.
        var call = await server.ReportCallAsync("+79990001122", "+79640000001");
        Assert.Equal("wrong_caller", call["outcome"]!.GetValue<string>());

        foreach (var (token, created) in new[] { (mine, a), (theirs, b) })
        {
            var (_, check, _) = await client.GetJsonAsync(
                $"api/v1/authcalls/{token}/reverse_auth_phone_check/{created["data"]!["id"]}");
            Assert.Equal("pending", check["data"]!["status"]!.GetValue<string>());
            Assert.Null(check["data"]!["other_caller"]);
        }
    }
}
