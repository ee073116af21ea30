using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Sip;
using Backcall.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Backcall.Web.Tests.SignIn;

/// <summary>
/// <c>signin-keys rotate</c> with a lead of seconds, on a server of its own: the switch-over is waited for as it
/// happens (the JWKS the node publishes puts the key that signs first), never assumed from a clock.
/// </summary>
public sealed partial class OidcSignInTests
{
    private const int LeadSeconds = 10;

    // Long enough for three HTTP requests after the switch on a loaded machine; the test then waits for the
    // retirement itself.
    private const int RetentionSeconds = 60;

    [Fact]
    public async Task A_rotated_key_signs_after_its_lead_and_what_was_issued_before_still_works_until_retention_ends()
    {
        await using var own = new SignInServerFixture
        {
            Settings =
            {
                ["BACKCALL_SignIn__KeyPublishLead"] = TimeSpan.FromSeconds(LeadSeconds).ToString("c"),
                ["BACKCALL_SignIn__KeyRetention"] = TimeSpan.FromSeconds(RetentionSeconds).ToString("c"),
                ["BACKCALL_SignIn__CodeLifetime"] = "00:10:00",
                ["BACKCALL_Logging__LogLevel__OpenIddict"] = "Trace",
            },
        };
        await own.InitializeAsync();
        await using var app = await OidcClientApp.StartAsync(own.Server);

        // Two codes issued under the current keys, kept unredeemed (the app is stopped before it redeems them).
        app.BeforeRedeem = (_, _) => throw new InvalidOperationException("the test redeems this code itself");
        var first = await CodeAsync(own.Server, app, "+79003119001");
        var second = await CodeAsync(own.Server, app, "+79003119002");
        using var http = own.Server.CreateClient();
        var old = (await JwksAsync(http))[0];

        using var admin = own.Server.CreateAdminClient();
        using var rotate = await admin.PostAsync("api/admin/signin-keys/rotate", null);
        Assert.True(rotate.IsSuccessStatusCode, await rotate.Content.ReadAsStringAsync());
        var fresh = JsonNode.Parse(await rotate.Content.ReadAsStringAsync())!.AsArray()
            .Single(k => k!["use"]!.GetValue<string>() == "signing")!["key_id"]!.GetValue<string>();

        // Before the switch: the new key is published, the old one signs.
        Assert.Equal([old, fresh], await JwksAsync(http));
        var before = await RedeemAsync(own.Server, app, first);
        Assert.Equal(old, Kid(before["id_token"]!));
        var accessBefore = before["access_token"]!.GetValue<string>();

        // The switch, as this node makes it: the new key comes first in what it publishes.
        await WaitForAsync(async () => (await JwksAsync(http))[0] == fresh, "the new key to sign", LeadSeconds + 60);

        // After it: a code issued before is redeemed, its tokens carry the new kid; an access token issued before
        // still works at userinfo; the old key is still published.
        var after = await RedeemAsync(own.Server, app, second);
        Assert.Equal(fresh, Kid(after["id_token"]!));
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(http, accessBefore)).StatusCode);
        Assert.Equal([fresh, old], await JwksAsync(http));

        // Once its retention ends the old key is gone, and so is what it signed.
        await WaitForAsync(
            async () => !(await JwksAsync(http)).Contains(old),
            "the old key to retire",
            RetentionSeconds + 60);
        Assert.Equal([fresh], await JwksAsync(http));
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(http, accessBefore)).StatusCode);
        var accessAfter = after["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(http, accessAfter)).StatusCode);
    }

    /// <summary>Redeems a kept code as the app would; the tokens.</summary>
    private async Task<JsonNode> RedeemAsync(
        BackcallProcess server,
        OidcClientApp app,
        (string Code, string Verifier) code)
    {
        var (status, body) = await RedeemAsync(app, code.Code, code.Verifier, app.ClientSecret, server);
        var why = string.Join('\n', server.Output.Where(l =>
            l.Contains("\"Exception\":", StringComparison.Ordinal)
            || l.Contains("keys in force", StringComparison.Ordinal)));
        Assert.True(
            status == HttpStatusCode.OK,
            $"{body.ToJsonString()}\ncode header {JwtPart(code.Code, 0).ToJsonString()}"
            + $" at {DateTimeOffset.UtcNow:O}\n{why}");
        return body;
    }

    private static async Task<HttpResponseMessage> UserInfoAsync(HttpClient http, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await http.SendAsync(request);
    }

    private static async Task<List<string>> JwksAsync(HttpClient http) =>
        [
            .. JsonNode.Parse(await http.GetStringAsync(".well-known/jwks"))!["keys"]!
                .AsArray()
                .Select(k => k!["kid"]!.GetValue<string>()),
        ];

    /// <summary>
    /// The kid of a signed token (a JWS; an encrypted access token names its encryption key instead).
    /// </summary>
    private static string Kid(JsonNode token) => JwtPart(token.GetValue<string>(), 0)["kid"]!.GetValue<string>();
}
