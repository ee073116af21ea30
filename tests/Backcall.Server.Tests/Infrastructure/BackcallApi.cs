using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backcall.Server.Tests.Infrastructure;

/// <summary>Small helpers over a running server's admin, contract and PBX APIs, for test set-up.</summary>
public static class BackcallApi
{
    public static async Task<(string Token, long Id, string WebhookSecret)> CreateTokenAsync(
        this BackcallProcess server, string name = "test", object? extra = null)
    {
        using var admin = server.CreateAdminClient();
        var body = new JsonObject { ["name"] = name };
        if (extra is not null)
        {
            foreach (var (k, v) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                body[k] = v?.DeepClone();
            }
        }

        using var response = await admin.PostAsJsonAsync("api/admin/tokens", body);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return (
            json["token"]!.GetValue<string>(),
            json["details"]!["id"]!.GetValue<long>(),
            json["webhook_secret"]!.GetValue<string>());
    }

    public static async Task AddNumbersAsync(this BackcallProcess server, params string[] numbers)
    {
        using var admin = server.CreateAdminClient();
        foreach (var number in numbers)
        {
            using var response = await admin.PostAsJsonAsync("api/admin/numbers", new { number });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>GETs a contract URL and returns the status and the parsed envelope.</summary>
    public static async Task<(int Status, JsonNode Body, HttpResponseMessage Response)> GetJsonAsync(
        this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text) ?? throw new InvalidDataException("empty body");
        return ((int)response.StatusCode, body, response);
    }

    public static async Task<(int Status, JsonNode Body, HttpResponseMessage Response)> SendJsonAsync(
        this HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text) ?? throw new InvalidDataException("empty body");
        return ((int)response.StatusCode, body, response);
    }

    /// <summary>Reports a call through the PBX endpoint (the HTTP way in to the call operation).</summary>
    /// <param name="redirectedFrom">
    /// The number that forwarded the call to <paramref name="called"/>, if it was forwarded.
    /// </param>
    public static async Task<JsonNode> ReportCallAsync(
        this BackcallProcess server, string caller, string called, string? callId = null, string? redirectedFrom = null)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/pbx/calls")
        {
            Content = JsonContent.Create(new { caller, called, call_id = callId, redirected_from = redirectedFrom }),
        };
        request.Headers.Authorization = new("Bearer", server.PbxKey);
        using var response = await client.SendAsync(request);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json;
    }
}
