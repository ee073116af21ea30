using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Server.Tests.Webhooks;
using Backcall.Testing;

namespace Backcall.Server.Tests.Metrics;

public sealed partial class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_count_authorizations_and_calls_from_the_start()
    {
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567");
        await server.ReportCallAsync("+79001234567", "+79640000001");
        await server.ReportCallAsync("+79001112233", "+79640000002");
        await server.ReportCallAsync("+79001112244", "+79640000001", redirectedFrom: "+79005556677");

        var text = await client.GetStringAsync("metrics");
        Assert.Equal(1, Value(text, "backcall_authorizations_created_total"));
        Assert.Equal(1, Value(text, "backcall_authorizations_confirmed_total"));
        Assert.Equal(1, Value(text, "backcall_calls_total", "outcome=\"matched\""));
        Assert.Equal(1, Value(text, "backcall_calls_total", "outcome=\"no_live_authorization\""));
        Assert.Equal(1, Value(text, "backcall_authorizations_time_to_call_seconds_count"));
        Assert.Equal(1, Value(text, "backcall_calls_total", "outcome=\"redirected\""));
        Assert.Contains("backcall_sip_", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identify_mode_capacity_shows_numbers_held_free_and_per_lifetime()
    {
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001", "+79640000002", "+79640000003");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        Assert.Equal(200, (await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get")).Status);
        Assert.Equal(200, (await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567")).Status);

        var text = await client.GetStringAsync("metrics");
        Assert.Equal(1, Value(text, "backcall_identify_held"));
        Assert.Equal(1, Value(text, "backcall_identify_free"));
        Assert.Equal(3, Value(text, "backcall_identify_capacity"));
    }

    [Fact]
    public async Task The_exposition_follows_prometheus_naming_and_has_no_duplicates()
    {
        await using var server = await BackcallProcess.StartAsync();
        await server.AddNumbersAsync("+79640000001");
        var (token, _, _) = await server.CreateTokenAsync();
        using var client = server.CreateClient();
        await client.GetJsonAsync($"api/v1/authcalls/{token}/reverse_auth_phone_get?phone=89001234567");
        await server.ReportCallAsync("+79001234567", "+79640000001");
        var text = await client.GetStringAsync("metrics");

        var types = new Dictionary<string, string>();
        foreach (Match m in TypeLine().Matches(text))
        {
            Assert.True(types.TryAdd(m.Groups["name"].Value, m.Groups["type"].Value), "TYPE twice: " + m.Value);
        }

        var helps = HelpLine().Matches(text).Select(m => m.Groups["name"].Value).ToList();
        Assert.Equal(helps.Count, helps.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("`1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("backcall_sip_backcall", text, StringComparison.Ordinal);
        foreach (var (name, type) in types)
        {
            Assert.True(
                type != "counter" || name.EndsWith("_total", StringComparison.Ordinal),
                $"counter {name} without _total");
            Assert.True(
                type == "counter" || !name.EndsWith("_total", StringComparison.Ordinal),
                $"{type} {name} named like a counter");
        }

        // Every sample belongs to a family declared with its type.
        foreach (Match m in Sample().Matches(text))
        {
            var name = m.Groups["name"].Value;
            Assert.True(
                types.Keys.Any(f => name == f || name.StartsWith(f + "_", StringComparison.Ordinal)),
                "no TYPE for " + name);
        }

        Assert.Equal("counter", types["backcall_authorizations_created_total"]);
        Assert.Equal("counter", types["backcall_calls_total"]);
        Assert.Equal("gauge", types["backcall_authorizations_live"]);
        Assert.Equal("histogram", types["backcall_authorizations_time_to_call_seconds"]);
    }

    [Fact]
    public async Task Refusals_402_429_503_are_counted_by_reason()
    {
        await using var server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["BACKCALL_Tokens__RequestsPerSecond"] = "1",
            ["BACKCALL_Tokens__Burst"] = "3",
        });
        await server.AddNumbersAsync("+79640000001");
        using var client = server.CreateClient();

        // 503: one number, held for this phone by another app's live authorization.
        var (first, _, _) = await server.CreateTokenAsync("first");
        var (second, _, _) = await server.CreateTokenAsync("second");
        await client.GetJsonAsync($"api/v1/authcalls/{first}/reverse_auth_phone_get?phone=89001234567");
        Assert.Equal(503, (await client.GetJsonAsync(
            $"api/v1/authcalls/{second}/reverse_auth_phone_get?phone=89001234567")).Status);

        // 402: no free requests and no credit.
        var (broke, _, _) = await server.CreateTokenAsync("broke", new { free_requests = 0 });
        Assert.Equal(402, (await client.GetJsonAsync(
            $"api/v1/authcalls/{broke}/reverse_auth_phone_get?phone=89007654321")).Status);

        // 429: the token's burst is spent (however slow the machine, requests outrun one a second soon).
        var (busy, _, _) = await server.CreateTokenAsync("busy");
        var statuses = new List<int>();
        while (!statuses.Contains(429) && statuses.Count < 500)
        {
            statuses.Add((await client.GetJsonAsync($"api/v1/authcalls/{busy}/get_balance/")).Status);
        }

        Assert.Contains(429, statuses);
        var text = await client.GetStringAsync("metrics");
        Assert.Equal(1, Value(text, "backcall_api_refusals_total", "reason=\"no_free_number\""));
        Assert.Equal(1, Value(text, "backcall_api_refusals_total", "reason=\"quota_exhausted\""));
        Assert.Equal(
            statuses.Count(s => s == 429), Value(text, "backcall_api_refusals_total", "reason=\"token_rate_limited\""));
        Assert.Contains("status=\"503\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_attempts_deliveries_and_latency_are_measured()
    {
        await using var scenario = await WebhookScenario.StartAsync();
        await using var receiver = WebhookReceiver.Start();
        var (id, authPhone, userPhone) = await scenario.CreateAsync(receiver.Url());
        await scenario.Server.ReportCallAsync(userPhone, "+" + authPhone);
        await receiver.WaitForAsync(r => r.Target.Contains($"id={id}", StringComparison.Ordinal));

        using var client = scenario.Server.CreateClient();
        var text = await WaitForAsync(client, t => t.Contains(
            "backcall_webhooks_deliveries_total{result=\"delivered\"}", StringComparison.Ordinal));
        Assert.Equal(1, Value(text, "backcall_webhooks_deliveries_total", "result=\"delivered\""));
        Assert.Equal(1, Value(text, "backcall_webhooks_attempts_total", "result=\"delivered\""));
        Assert.Equal(1, Value(text, "backcall_webhooks_attempt_duration_seconds_count"));
    }

    [Fact]
    public async Task Metrics_can_have_their_own_address_and_a_key()
    {
        var port = FreePort();
        const string Key = "metrics-key-0123456789";
        await using var server = await BackcallProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["BACKCALL_Metrics__Url"] = $"http://127.0.0.1:{port}",
            ["BACKCALL_Metrics__Key"] = Key,
        });
        using var main = server.CreateClient();
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        Assert.Equal($"http://127.0.0.1:{port}/metrics", server.Announced["metrics"]);
        Assert.Equal(HttpStatusCode.NotFound, (await main.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await metrics.GetAsync("healthz")).StatusCode);
        using var anonymous = await metrics.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        metrics.DefaultRequestHeaders.Authorization = new("Bearer", Key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await metrics.GetAsync("metrics")).StatusCode);

        metrics.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        Assert.Contains(
            "# TYPE backcall_authorizations_live gauge",
            await metrics.GetStringAsync("metrics"),
            StringComparison.Ordinal);
        Assert.Equal("ok", await main.GetStringAsync("healthz"));
    }

    [Theory]
    [InlineData("BACKCALL_Metrics__Url", "http://127.0.0.1", "Metrics:Url")]
    [InlineData("BACKCALL_Metrics__Url", "ftp://127.0.0.1:9464", "Metrics:Url")]
    [InlineData("BACKCALL_Metrics__Key", "short", "Metrics:Key")]
    public async Task A_bad_metrics_setting_stops_the_start_naming_it(string variable, string value, string key)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BackcallProcess.StartAsync(environment: new Dictionary<string, string> { [variable] = value }));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForAsync(HttpClient client, Func<string, bool> condition)
    {
        var text = "";
        Assert.True(
            await Wait.UntilAsync(async () => condition(text = await client.GetStringAsync("metrics"))),
            "the metrics never showed what was waited for:\n" + text);
        return text;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static double Value(string text, string name, string? label = null)
    {
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value == name
                && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"{name} {label} not in /metrics:\n{text}");
    }

    [GeneratedRegex(
        @"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+|NaN|\+Inf)( \d+)?$",
        RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^# HELP (?<name>\S+) ", RegexOptions.Multiline)]
    private static partial Regex HelpLine();
}
