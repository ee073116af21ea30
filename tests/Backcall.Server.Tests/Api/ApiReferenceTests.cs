using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Api;

/// <summary>The OpenAPI document, parsed: what a developer reading /docs needs to call each action.</summary>
public sealed class ApiReferenceTests(SharedServerFixture fixture) : IClassFixture<SharedServerFixture>
{
    private const string Base = "/api/v1/authcalls/{token}/";

    public static TheoryData<string, string, int[]> ContractOperations => new()
    {
        { Base + "reverse_auth_phone_get", "get", [400, 401, 402, 405, 429, 503] },
        { Base + "reverse_auth_phone_post", "post", [400, 401, 402, 405, 429, 503] },
        { Base + "reverse_auth_phone_check/{id}", "get", [400, 401, 404, 405, 429] },
        { Base + "get_balance", "get", [401, 405, 429] },
    };

    [Fact]
    public async Task The_back_calls_api_comes_first()
    {
        var doc = await DocumentAsync();
        Assert.StartsWith("/api/v1/authcalls/", doc["paths"]!.AsObject().First().Key, StringComparison.Ordinal);
        Assert.Equal("Back Calls API", doc["tags"]![0]!["name"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(ContractOperations))]
    public async Task Each_action_has_its_name_token_answer_schema_and_errors_with_examples(
        string path, string method, int[] errors)
    {
        var doc = await DocumentAsync();
        var operation = doc["paths"]![path]![method]!;
        var action = path[Base.Length..].Split('/')[0];
        Assert.Equal(action, operation["summary"]!.GetValue<string>());

        var token = Assert.Single(operation["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "token")!;
        Assert.Equal("path", token["in"]!.GetValue<string>());
        Assert.True(token["required"]!.GetValue<bool>());

        var ok = Resolve(doc, operation["responses"]!["200"]!["content"]!["application/json"]!["schema"]!);
        Assert.Equal(["success", "error", "data"], ok["properties"]!.AsObject().Select(p => p.Key));
        Assert.NotEmpty(Resolve(doc, ok["properties"]!["data"]!)["properties"]!.AsObject());

        foreach (var status in errors)
        {
            var response = operation["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            Assert.True(response is not null, $"{method} {path}: no {status}");
            var example = response!["content"]!["application/json"]!["example"]!;
            Assert.False(example["success"]!.GetValue<bool>());
            Assert.NotEmpty(example["error"]!.GetValue<string>());
            Assert.Equal("{}", example["data"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task The_post_body_is_described_as_json_form_and_multipart()
    {
        var doc = await DocumentAsync();
        var content = doc["paths"]![Base + "reverse_auth_phone_post"]!["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.Equal(
            ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"],
            content.Select(c => c.Key));
        var body = Resolve(doc, content["application/json"]!["schema"]!);
        Assert.Contains("phone", body["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("webhook", body["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task The_admin_and_pbx_apis_declare_their_bearer_keys()
    {
        var doc = await DocumentAsync();
        foreach (var scheme in new[] { "adminKey", "pbxKey" })
        {
            var s = doc["components"]!["securitySchemes"]![scheme]!;
            Assert.Equal("http", s["type"]!.GetValue<string>());
            Assert.Equal("bearer", s["scheme"]!.GetValue<string>());
        }

        Assert.NotNull(doc["paths"]!["/api/v1/pbx/calls"]!["post"]!["security"]![0]!["pbxKey"]);
        foreach (var (path, item) in doc["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/admin", StringComparison.Ordinal)))
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.True(
                    operation!["security"]?[0]?["adminKey"] is not null, $"{method} {path} without the admin key");
            }
        }
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        using var client = fixture.Server.CreateClient();
        var html = await client.GetStringAsync("docs");
        Assert.Contains("Backcall API reference", html, StringComparison.Ordinal);
    }

    /// <summary>The schema a reference (or a nullable one: oneOf null and a reference) points at.</summary>
    private static JsonNode Resolve(JsonNode doc, JsonNode schema) =>
        schema["$ref"] is { } reference
            ? doc["components"]!["schemas"]![reference.GetValue<string>()["#/components/schemas/".Length..]]!
            : schema["oneOf"]?.AsArray().FirstOrDefault(s => s?["$ref"] is not null) is { } inner
                ? Resolve(doc, inner)
                : schema;

    private async Task<JsonNode> DocumentAsync()
    {
        using var client = fixture.Server.CreateClient();
        return JsonNode.Parse(await client.GetStringAsync("openapi/v1.json"))!;
    }
}
