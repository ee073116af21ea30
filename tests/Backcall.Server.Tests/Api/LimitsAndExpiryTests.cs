using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Api;

/// <summary>The rows that need their own server settings: expiry, rate limits, public URLs and proxies.</summary>
public sealed class LimitsAndExpiryTests
{
    [Fact]
    public async Task Check_expired_says_expired()
    {
        await using var server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["BACKCALL_Authorizations__Lifetime"] = "00:00:05",
        });
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        var (_, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567");
        var id = created["data"]!["id"]!.GetValue<long>();
        Assert.Equal(5, created["data"]!["expires_in"]!.GetValue<int>());

        // Wait for the expiry itself (the lifetime is 5 s; its lower bound is 5 s), not for a fixed time.
        var check = $"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}";
        var status = 0;
        JsonNode body = new JsonObject();
        await Wait.UntilAsync(
            async () =>
            {
                (status, body, _) = await client.GetJsonAsync(check);
                return body["data"]!["status"]!.GetValue<string>() != "pending";
            },
            TimeSpan.FromSeconds(35));

        Assert.Equal(200, status);
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Contains("expired", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("expired", body["data"]!["status"]!.GetValue<string>());
        Assert.Equal("", body["data"]!["phone"]!.GetValue<string>());
        Assert.Equal(id, body["data"]!["id"]!.GetValue<long>());

        // A late call confirms nothing and is logged as expired.
        var late = await server.ReportCallAsync("+79001234567", "+79640000001");
        Assert.Equal("expired", late["outcome"]!.GetValue<string>());

        // And the number is free again for the same phone.
        Assert.Equal(200, (await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567")).Status);
    }

    [Fact]
    public async Task Token_rate_limit_and_phone_limit_are_429_with_retry_after()
    {
        await using var server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["BACKCALL_Tokens__Burst"] = "5",
            ["BACKCALL_Tokens__RequestsPerSecond"] = "1",
            ["BACKCALL_Authorizations__PerPhoneLimit"] = "2",
        });
        await server.AddNumbersAsync("+79640000001", "+79640000002", "+79640000003");
        using var client = server.CreateClient();

        var (phoneToken, _, _) = await server.CreateTokenAsync("phone");
        var url = $"api/v1/authcalls/{phoneToken}/reverse_auth_phone_get?phone=89001234567";
        Assert.Equal(200, (await client.GetJsonAsync(url)).Status);
        Assert.Equal(200, (await client.GetJsonAsync(url)).Status);
        var (ps, pb, pr) = await client.GetJsonAsync(url);
        Assert.Equal(429, ps);
        Assert.False(pb["success"]!.GetValue<bool>());
        Assert.Equal("{}", pb["data"]!.ToJsonString());
        Assert.NotNull(pr.Headers.RetryAfter?.Delta);

        // Eight at once against a burst of five: five pass and three wait, unless the machine took over a second to
        // answer them all, when the bucket's refill (one a second) lets that many more through, and no more.
        var (token, _, _) = await server.CreateTokenAsync("burst");
        var sent = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/")));
        var refilled = (int)sent.Elapsed.TotalSeconds;
        var statuses = responses.Select(r => r.Status).ToList();
        Assert.All(
            responses.Where(r => r.Status == 429),
            r => Assert.True(r.Response.Headers.RetryAfter!.Delta!.Value.TotalSeconds >= 1));
        Assert.Equal(8, statuses.Count(s => s is 200 or 429));
        Assert.InRange(statuses.Count(s => s == 200), 5, 5 + refilled);
    }

    [Fact]
    public async Task Public_base_url_and_trusted_proxy_headers_shape_url_image()
    {
        await using var server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["BACKCALL_Server__TrustedProxies__0"] = "127.0.0.1",
        });
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(
            HttpMethod.Get, $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "auth.example.com");
        var (_, body, _) = await client.SendJsonAsync(request);
        Assert.StartsWith(
            "https://auth.example.com/api/v1/authcalls/get_qr_image/",
            body["data"]!["url_image"]!.GetValue<string>(),
            StringComparison.Ordinal);

        await using var untrusting = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["BACKCALL_Server__PublicBaseUrl"] = "https://verify.example.org/",
        });
        await untrusting.AddNumbersAsync("+79640000001");
        var (token2, _, _) = await untrusting.CreateTokenAsync();
        using var client2 = untrusting.CreateClient();
        using var spoofed = new HttpRequestMessage(
            HttpMethod.Get, $"api/v1/authcalls/{token2}/reverse_auth_phone_get?phone=89001234567");
        spoofed.Headers.Add("X-Forwarded-Host", "evil.example.net");
        var (_, body2, _) = await client2.SendJsonAsync(spoofed);
        Assert.StartsWith(
            "https://verify.example.org/api/v1/authcalls/get_qr_image/",
            body2["data"]!["url_image"]!.GetValue<string>(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_source_are_ignored()
    {
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(
            HttpMethod.Get, $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567");
        request.Headers.Add("X-Forwarded-Host", "evil.example.net");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var (_, body, _) = await client.SendJsonAsync(request);
        Assert.StartsWith(
            server.BaseUrl.ToString(), body["data"]!["url_image"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_sip_endpoint_and_a_port_in_use_stop_the_server_with_a_clear_error()
    {
        var bad = await Assert.ThrowsAsync<InvalidOperationException>(
            () => BackcallProcess.StartAsync(["--sip", "sctp:127.0.0.1:5060"]));
        Assert.Contains("sctp", bad.Message, StringComparison.Ordinal);

        using var taken = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)taken.Client.LocalEndPoint!).Port;
        var inUse = await Assert.ThrowsAsync<InvalidOperationException>(
            () => BackcallProcess.StartAsync(["--sip", $"udp:127.0.0.1:{port}"]));
        Assert.Contains("cannot listen", inUse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_configuration_stops_the_server_with_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => BackcallProcess.StartAsync(environment: new Dictionary<string, string>
            {
                ["BACKCALL_Authorizations__DefaultRegion"] = "Russia",
            }));
        Assert.Contains("DefaultRegion", ex.Message, StringComparison.Ordinal);
    }
}
