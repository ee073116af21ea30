using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Api;

/// <summary>
/// Every row of the contract's table "The answers this server gives", against the real process.
/// </summary>
public sealed class ContractAnswersTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>
{
    private static int _phoneSeed = 1000;
    private BackcallProcess Server => fixture.Server;

    /// <summary>A phone no other test uses (the per-phone pool rule would otherwise couple tests).</summary>
    private static string NewPhone() => $"8900555{Interlocked.Increment(ref _phoneSeed):D4}";

    private static void AssertErrorEnvelope(JsonNode body)
    {
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(body["error"]!.GetValue<string>()));
        Assert.Equal("{}", body["data"]!.ToJsonString());
    }

    [Theory]
    [InlineData("89001230001")]
    [InlineData("79001230002")]
    [InlineData("+7 (900) 123-00-03")]
    [InlineData("9001230004")]
    public async Task Created_answers_with_the_number_id_qr_and_link(string phone)
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={Uri.EscapeDataString(phone)}");

        Assert.Equal(200, status);
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal("", body["error"]!.GetValue<string>());
        var data = body["data"]!;
        var auth = data["auth_phone"]!.GetValue<string>();
        Assert.Matches("^7964000000[123]$", auth);
        Assert.True(data["id"]!.GetValue<long>() > 0);
        var image = data["url_image"]!.GetValue<string>();
        Assert.StartsWith(Server.BaseUrl + "api/v1/authcalls/get_qr_image/", image, StringComparison.Ordinal);
        Assert.EndsWith("/", image, StringComparison.Ordinal);
        Assert.DoesNotContain("/" + data["id"] + "/", image, StringComparison.Ordinal);
        Assert.Equal($"<a href='tel:+{auth}'>Позвони для авторизации</a>", data["url_link"]!.GetValue<string>());
    }

    [Fact]
    public async Task International_user_numbers_are_accepted()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=%2B442071838750");
        Assert.Equal(200, status);
        var id = body["data"]!["id"]!.GetValue<long>();
        var number = body["data"]!["auth_phone"]!.GetValue<string>();

        await Server.ReportCallAsync("+442071838750", "+" + number);
        var (_, check, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
        Assert.Equal("442071838750", check["data"]!["phone"]!.GetValue<string>());
    }

    [Fact]
    public async Task Post_accepts_json_form_multipart_and_query()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var url = $"api/v1/authcalls/{token}/reverse_auth_phone_post";
        var bodies = new Func<HttpContent?>[]
        {
            () => JsonContent.Create(new { phone = NewPhone(), webhook = "https://app.example.com/cb" }),
            () => new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["phone"] = NewPhone(),
                ["webhook"] = "https://app.example.com/cb",
            }),
            () => new MultipartFormDataContent
            {
                { new StringContent(NewPhone()), "phone" },
                { new StringContent("https://app.example.com/cb"), "webhook" },
            },
        };
        foreach (var make in bodies)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = make() };
            request.Headers.Add("Timeout", "45"); // what the Python SDK sends
            var (status, body, _) = await client.SendJsonAsync(request);
            Assert.True(status == 200, body.ToJsonString());
            Assert.True(body["success"]!.GetValue<bool>());
        }

        var webhook = Uri.EscapeDataString("https://app.example.com/cb?x=1");
        using var query = new HttpRequestMessage(HttpMethod.Post, $"{url}?phone={NewPhone()}&webhook={webhook}");
        var (qs, qb, _) = await client.SendJsonAsync(query);
        Assert.True(qs == 200, qb.ToJsonString());

        // JSON numbers for phone work too (clients that keep phones as integers).
        using var numeric = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(
                $$"""{"phone": {{NewPhone()}}, "webhook": "https://app.example.com/cb"}""",
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        var (ns, nb, _) = await client.SendJsonAsync(numeric);
        Assert.True(ns == 200, nb.ToJsonString());
    }

    [Theory]
    [InlineData("""{"phone": "89001234567"}""", "webhook")]
    [InlineData("""{"phone": "89001234567", "webhook": "ftp://x.example/"}""", "webhook")]
    [InlineData("""{"phone": "89001234567", "webhook": "/relative"}""", "webhook")]
    [InlineData("""{"phone": "nonsense", "webhook": "https://app.example.com/cb"}""", "8XXXXXXXXXX")]
    [InlineData("""{"phone": " ", "webhook": "https://app.example.com/cb"}""", "phone")]
    [InlineData("""{"phone": "89001234567", """, "JSON")]
    [InlineData("""["89001234567"]""", "object")]
    public async Task Post_bad_input_is_400_saying_what_is_wrong(string json, string mentions)
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/authcalls/{token}/reverse_auth_phone_post")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        var (status, body, _) = await client.SendJsonAsync(request);
        Assert.Equal(400, status);
        AssertErrorEnvelope(body);
        Assert.Contains(mentions, body["error"]!.GetValue<string>(), StringComparison.Ordinal);

        // Nothing was charged for a refused request.
        var (_, balance, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/");
        Assert.Equal(50, balance["data"]!["free_requests_left"]!.GetValue<int>());
    }

    [Fact]
    public async Task Post_body_too_large_is_400_even_when_chunked()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var big = "{\"phone\": \"89001234567\", \"webhook\": \"https://app.example.com/cb\", \"pad\": \""
            + new string('x', 200_000) + "\"}";
        foreach (var chunked in new[] { false, true })
        {
            using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(big)));
            content.Headers.ContentType = new("application/json");
            using var request = new HttpRequestMessage(
                HttpMethod.Post, $"api/v1/authcalls/{token}/reverse_auth_phone_post")
            {
                Content = content,
            };
            request.Headers.TransferEncodingChunked = chunked;
            if (!chunked)
            {
                content.Headers.ContentLength = big.Length;
            }

            var (status, body, _) = await client.SendJsonAsync(request);
            Assert.Equal(400, status);
            Assert.Contains("too large", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_pending_then_confirmed_as_clients_read_it()
    {
        // A server of its own: the other_caller hint is given only while the number waits for one app alone.
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        var phone = NewPhone();
        var (_, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={phone}");
        var id = created["data"]!["id"]!.GetValue<long>();
        var number = created["data"]!["auth_phone"]!.GetValue<string>();

        var (ps, pending, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
        Assert.Equal(200, ps);
        Assert.False(pending["success"]!.GetValue<bool>());
        var text = pending["error"]!.GetValue<string>().ToLowerInvariant();
        Assert.False(
            text.Contains("ok", StringComparison.Ordinal)
                || text.Contains("expire", StringComparison.Ordinal)
                || text.Contains("timeout", StringComparison.Ordinal),
            text);
        Assert.Equal(id, pending["data"]!["id"]!.GetValue<long>());
        Assert.Equal("", pending["data"]!["phone"]!.GetValue<string>());
        Assert.Equal("pending", pending["data"]!["status"]!.GetValue<string>());
        Assert.InRange(pending["data"]!["seconds_left"]!.GetValue<int>(), 100, 120);

        // The user calls from another phone first: nothing confirmed, but the app can tell them.
        await server.ReportCallAsync("+79009998877", "+" + number);
        var (_, wrong, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
        Assert.Equal("pending", wrong["data"]!["status"]!.GetValue<string>());
        Assert.EndsWith("8877", wrong["data"]!["other_caller"]!.GetValue<string>(), StringComparison.Ordinal);

        var call = await server.ReportCallAsync("+7" + phone[1..], "+" + number);
        Assert.Equal("matched", call["outcome"]!.GetValue<string>());

        var (cs, confirmed, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}/");
        Assert.Equal(200, cs);
        Assert.True(confirmed["success"]!.GetValue<bool>());
        Assert.Equal("", confirmed["error"]!.GetValue<string>());
        Assert.Equal("ok", confirmed["data"]!["status"]!.GetValue<string>());
        Assert.Equal(id, confirmed["data"]!["id"]!.GetValue<long>());
        var got = confirmed["data"]!["phone"]!.GetValue<string>();
        Assert.Equal(phone, got);

        // What the Node clients do: a leading 8 becomes 7, then the last 10 digits are compared.
        Assert.Equal(("7" + phone[1..])[^10..], ("7" + got[1..])[^10..]);
    }

    [Fact]
    public async Task Unknown_id_and_another_tokens_id_are_404()
    {
        var (mine, _, _) = await Server.CreateTokenAsync("mine");
        var (theirs, _, _) = await Server.CreateTokenAsync("theirs");
        using var client = Server.CreateClient();
        var (_, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{theirs}/reverse_auth_phone_get?phone={NewPhone()}");
        var id = created["data"]!["id"]!.GetValue<long>();

        foreach (var url in new[]
        {
            $"api/v1/authcalls/{mine}/reverse_auth_phone_check/{id}",
            $"api/v1/authcalls/{mine}/reverse_auth_phone_check/999999999",
        })
        {
            var (status, body, _) = await client.GetJsonAsync(url);
            Assert.Equal(404, status);
            AssertErrorEnvelope(body);
            Assert.Equal("id record not found", body["error"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    public async Task Bad_id_is_400(string id)
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}");
        Assert.Equal(400, status);
        AssertErrorEnvelope(body);
    }

    [Theory]
    [InlineData("reverse_auth_phone_get?phone=89001234567")]
    [InlineData("reverse_auth_phone_check/100001")]
    [InlineData("get_balance/")]
    public async Task Bad_token_is_401_mentioning_token(string action)
    {
        using var client = Server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/{Guid.NewGuid()}/{action}");
        Assert.Equal(401, status);
        AssertErrorEnvelope(body);
        Assert.Contains("token", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_token_is_401_at_once_and_enabled_again()
    {
        var (token, id, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var cli = await Server.RunCliAsync(
            "token", "disable", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(cli.ExitCode == 0, cli.ToString());

        // The CLI wrote the database; the running server must notice without a restart.
        var balance = $"api/v1/authcalls/{token}/get_balance/";
        var status = 0;
        await Wait.UntilAsync(async () => (status = (await client.GetJsonAsync(balance)).Status) == 401);
        Assert.Equal(401, status);
        var (_, body, _) = await client.GetJsonAsync(balance);
        Assert.Contains("token", body["error"]!.GetValue<string>(), StringComparison.Ordinal);

        var enable = await Server.RunCliAsync(
            "token", "enable", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, enable.ExitCode);
        await Wait.UntilAsync(async () => (status = (await client.GetJsonAsync(balance)).Status) == 200);
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Quota_exhausted_is_402_and_top_up_restores()
    {
        var (token, id, _) = await Server.CreateTokenAsync(
            "quota", new { free_requests = 1, price = 2.5m, balance_limit = 0m });
        using var client = Server.CreateClient();
        Assert.Equal(200, (await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={NewPhone()}")).Status);
        var (status, body, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={NewPhone()}");
        Assert.Equal(402, status);
        AssertErrorEnvelope(body);

        var topup = await Server.RunCliAsync(
            "token", "topup", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--amount", "5");
        Assert.True(topup.ExitCode == 0, topup.ToString());
        Assert.Equal(200, (await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={NewPhone()}")).Status);
        var (_, balance, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance");
        Assert.True(balance["success"]!.GetValue<bool>());
        Assert.Equal(2.5m, balance["data"]!["balance"]!.GetValue<decimal>());
        Assert.Equal(2.5m, balance["data"]!["price"]!.GetValue<decimal>());
        Assert.Equal(0m, balance["data"]!["balance_limit"]!.GetValue<decimal>());
        Assert.Equal(0, balance["data"]!["free_requests_left"]!.GetValue<int>());
    }

    [Fact]
    public async Task No_free_number_for_this_phone_is_503_with_retry_after()
    {
        // Three apps each hold a number for the phone (one app's newer request would replace its own).
        using var client = Server.CreateClient();
        var phone = NewPhone();
        for (var i = 0; i < 3; i++)
        {
            var (app, _, _) = await Server.CreateTokenAsync();
            Assert.Equal(200, (await client.GetJsonAsync(
                $"api/v1/authcalls/{app}/reverse_auth_phone_get?phone={phone}")).Status);
        }

        var (token, _, _) = await Server.CreateTokenAsync();
        var (status, body, response) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={phone}");
        Assert.Equal(503, status);
        AssertErrorEnvelope(body);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 120);
    }

    [Fact]
    public async Task Balance_answers_numbers_with_and_without_trailing_slash()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        foreach (var url in new[] { $"api/v1/authcalls/{token}/get_balance/", $"api/v1/authcalls/{token}/get_balance" })
        {
            var (status, body, _) = await client.GetJsonAsync(url);
            Assert.Equal(200, status);
            Assert.True(body["success"]!.GetValue<bool>());
            Assert.Equal(System.Text.Json.JsonValueKind.Number, body["data"]!["balance"]!.GetValueKind());
            Assert.Equal(System.Text.Json.JsonValueKind.Number, body["data"]!["price"]!.GetValueKind());
            Assert.Equal(System.Text.Json.JsonValueKind.Number, body["data"]!["balance_limit"]!.GetValueKind());
        }
    }

    [Fact]
    public async Task Every_path_works_with_a_trailing_slash()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var (s1, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get/?phone={NewPhone()}");
        Assert.Equal(200, s1);
        var id = created["data"]!["id"]!.GetValue<long>();
        Assert.Equal(200, (await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_check/{id}/")).Status);
        using var post = new HttpRequestMessage(HttpMethod.Post, $"api/v1/authcalls/{token}/reverse_auth_phone_post/")
        {
            Content = JsonContent.Create(new { phone = NewPhone(), webhook = "https://app.example.com/cb" }),
        };
        Assert.Equal(200, (await client.SendJsonAsync(post)).Status);
        var image = created["data"]!["url_image"]!.GetValue<string>();
        using var withSlash = await client.GetAsync(image);
        using var withoutSlash = await client.GetAsync(image.TrimEnd('/'));
        Assert.Equal(HttpStatusCode.OK, withSlash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withoutSlash.StatusCode);
    }

    [Fact]
    public async Task Qr_image_is_a_png_and_unknown_keys_are_404()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var (_, created, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={NewPhone()}");
        using var image = await client.GetAsync(created["data"]!["url_image"]!.GetValue<string>());
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        var bytes = await image.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);

        var id = created["data"]!["id"]!.GetValue<long>();
        var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/get_qr_image/{id}/");
        Assert.Equal(404, status);
        AssertErrorEnvelope(body);

        // The key is held as its 16 bytes: a key of its length with a character outside the URL-safe alphabet,
        // or with the same bytes but other spare bits in its last character, is another key, not an error.
        var key = created["data"]!["url_image"]!.GetValue<string>().TrimEnd('/').Split('/')[^1];
        var spare = key[..^1] + (char)(key[^1] ^ 1);
        foreach (var other in new[] { key[..^1] + "+", key[..^2] + "%20" + key[^1], key[..^2] + "==", spare })
        {
            (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/get_qr_image/{other}/");
            Assert.True(status == 404, $"{other}: {status}");
            AssertErrorEnvelope(body);
        }
    }

    [Fact]
    public async Task Unknown_action_is_a_contract_shaped_404()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/{token}/check_phone/1");
        Assert.Equal(404, status);
        AssertErrorEnvelope(body);
    }

    [Fact]
    public async Task Logs_never_contain_a_token()
    {
        var (token, _, _) = await Server.CreateTokenAsync();
        using var client = Server.CreateClient();
        await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={NewPhone()}");
        await client.GetJsonAsync($"api/v1/authcalls/{token}/get_balance/");
        await client.GetJsonAsync($"api/v1/authcalls/{token}/no_such_action");
        Assert.True(
            await Server.WaitForOutputAsync("/api/v1/authcalls/{token}/no_such_action"),
            "client errors are logged with the token redacted");
        Assert.False(Server.OutputContains(token), "a log line contains the token");
    }

    [Fact]
    public async Task OpenApi_document_and_reference_page_are_served()
    {
        using var client = Server.CreateClient();
        var doc = await client.GetStringAsync("openapi/v1.json");
        Assert.Contains("reverse_auth_phone_get", doc, StringComparison.Ordinal);
        Assert.Contains("reverse_auth_phone_check", doc, StringComparison.Ordinal);
        Assert.Contains("/api/admin/tokens", doc, StringComparison.Ordinal);
        using var page = await client.GetAsync("docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
    }
}
