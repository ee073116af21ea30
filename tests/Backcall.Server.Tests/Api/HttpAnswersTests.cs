using System.Net;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Api;

/// <summary>
/// What routing answers under the contract's prefix (wrong method, unknown action) is the contract's envelope,
/// and JSON text is escaped only where JSON requires it.
/// </summary>
public sealed class HttpAnswersTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Theory]
    [InlineData("POST", "reverse_auth_phone_get", "GET")]
    [InlineData("DELETE", "reverse_auth_phone_get", "GET")]
    [InlineData("GET", "reverse_auth_phone_post", "POST")]
    [InlineData("PUT", "get_balance/", "GET")]
    [InlineData("POST", "reverse_auth_phone_check/1", "GET")]
    public async Task A_wrong_method_is_405_with_allow_in_the_envelope(string method, string action, string allowed)
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"api/v1/authcalls/{token}/{action}");
        var (status, body, response) = await client.SendJsonAsync(request);

        Assert.Equal(405, status);
        Assert.Equal([allowed], response.Content.Headers.Allow);
        AssertEnvelope(body, response);
        Assert.Contains(method, body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_method_on_the_qr_image_is_405_not_a_token_error()
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/authcalls/get_qr_image/abc/");
        var (status, body, response) = await client.SendJsonAsync(request);
        Assert.Equal(405, status);
        AssertEnvelope(body, response);
    }

    [Theory]
    [InlineData("api/v1/authcalls/{token}/no_such_action")]
    [InlineData("api/v1/authcalls/{token}/reverse_auth_phone_check/")]
    [InlineData("api/v1/authcalls/{token}")]
    [InlineData("api/v1/authcalls")]
    [InlineData("api/v1/authcalls/get_qr_image")]
    public async Task Every_404_under_the_prefix_is_the_envelope_never_problem_details(string path)
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var (status, body, response) = await client.GetJsonAsync(
            path.Replace("{token}", token, StringComparison.Ordinal));
        Assert.Equal(404, status);
        AssertEnvelope(body, response);
    }

    [Fact]
    public async Task Json_text_is_readable_russian_quotes_and_plus_are_not_escaped()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var raw = await client.GetStringAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001239876");

        Assert.Contains("\"url_link\":\"<a href='tel:+7964", raw, StringComparison.Ordinal);
        Assert.Contains("Позвони для авторизации", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", raw, StringComparison.Ordinal);

        // The admin API too: a name with a quote, an apostrophe, a plus and Cyrillic comes back as written.
        await Server.CreateTokenAsync("Магазин \"Ёж\" o'clock +1");
        using var admin = Server.CreateAdminClient();
        var tokens = await admin.GetStringAsync("api/admin/tokens");
        Assert.Contains("\"name\":\"Магазин \\\"Ёж\\\" o'clock +1\"", tokens, StringComparison.Ordinal);
    }

    private static void AssertEnvelope(System.Text.Json.Nodes.JsonNode body, HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(3, body.AsObject().Count);
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(body["error"]!.GetValue<string>()));
        Assert.Equal("{}", body["data"]!.ToJsonString());
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
