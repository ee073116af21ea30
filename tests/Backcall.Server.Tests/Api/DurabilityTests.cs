using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Api;

/// <summary>What an answer said happened survives SIGKILL of the real process.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Confirmation_survives_sigkill_and_restart()
    {
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();

        var (status, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567");
        Assert.Equal(200, status);
        var id = created["data"]!["id"]!.GetValue<long>();
        var auth = created["data"]!["auth_phone"]!.GetValue<string>();

        var call = await server.ReportCallAsync("+79001234567", "+" + auth, "durability-1");
        Assert.Equal("matched", call["outcome"]!.GetValue<string>());

        // The PBX endpoint answered: the confirmation is on disk. Kill without any shutdown code.
        await server.KillAsync();
        await server.RestartAsync();

        using var after = server.CreateClient();
        var (checkStatus, check, _) = await after.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
        Assert.Equal(200, checkStatus);
        Assert.True(check["success"]!.GetValue<bool>());
        Assert.Equal("ok", check["data"]!["status"]!.GetValue<string>());
        Assert.Equal("89001234567", check["data"]!["phone"]!.GetValue<string>());

        // The free request it used stays used.
        var (_, balance, _) = await after.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/");
        Assert.Equal(49, balance["data"]!["free_requests_left"]!.GetValue<int>());
    }
}
