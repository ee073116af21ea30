using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Logging;

public sealed class RequestLoggingTests
{
    [Fact]
    public async Task With_debug_access_logs_every_request_is_logged_and_no_line_holds_a_token()
    {
        await using var server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["Logging__LogLevel__Backcall"] = "Debug",
        });
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        var (_, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567");
        var id = created["data"]!["id"]!.GetValue<long>();
        await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
        await client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/");
        await client.GetJsonAsync($"api/v1/authcalls/{token}1/get_balance/");

        Assert.True(
            await server.WaitForOutputAsync("/api/v1/authcalls/{token}/reverse_auth_phone_check/" + id),
            "a 200 is logged at Debug, redacted");
        Assert.True(
            await server.WaitForOutputAsync("/api/v1/authcalls/{token}/get_balance/"),
            "a 401 is logged, redacted");
        Assert.False(server.OutputContains(token), "a log line contains the token");
    }

    [Theory]
    [InlineData(
        "/api/v1/authcalls/4ea13fbf-f5a3-4084-8b01-9733cd6fd0b1/get_balance/",
        "/api/v1/authcalls/{token}/get_balance/")]
    [InlineData("/api/v1/authcalls/SECRET", "/api/v1/authcalls/{token}")]
    [InlineData("/API/V1/AUTHCALLS/SECRET/x", "/api/v1/authcalls/{token}/x")]
    [InlineData("/api/v1/authcalls/get_qr_image/abc/", "/api/v1/authcalls/get_qr_image/abc/")]
    [InlineData("/admin/tokens", "/admin/tokens")]
    public void Redaction_removes_the_token_segment(string path, string expected) =>
        Assert.Equal(expected, Backcall.Server.Logging.PathRedaction.Redact(path));
}
