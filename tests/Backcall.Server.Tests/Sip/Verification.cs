using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Sip;

/// <summary>An authorization created over HTTP, as an app does, and its check answer.</summary>
public sealed record Verification(BackcallProcess Server, string Token, long Id, string Phone, string AuthPhone)
{
    private static long _seed = Random.Shared.Next(0, 5_000_000);

    /// <summary>A fresh Russian mobile in the national form users type (8XXXXXXXXXX).</summary>
    public static string NewPhone() => $"8901{Interlocked.Increment(ref _seed) % 10_000_000:D7}";

    /// <summary>E.164 of a national phone, as the call log shows it.</summary>
    public static string E164(string national) => "+7" + national[1..];

    public static async Task<Verification> CreateAsync(BackcallProcess server, string? phone = null)
    {
        var (token, _, _) = await server.CreateTokenAsync("sip-tests");
        phone ??= NewPhone();
        using var client = server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync(
            $"api/v1/authcalls/{token}/reverse_auth_phone_get?phone={phone}");
        Assert.True(status == 200, body.ToJsonString());
        var data = body["data"]!;
        return new Verification(
            server, token, data["id"]!.GetValue<long>(), phone, data["auth_phone"]!.GetValue<string>());
    }

    /// <summary>The <c>data</c> of <c>reverse_auth_phone_check</c>.</summary>
    public async Task<JsonNode> CheckAsync()
    {
        using var client = Server.CreateClient();
        var (status, body, _) = await client.GetJsonAsync($"api/v1/authcalls/{Token}/reverse_auth_phone_check/{Id}");
        Assert.True(status == 200, body.ToJsonString());
        return body["data"]!;
    }

    public async Task AssertConfirmedAsync()
    {
        var data = await CheckAsync();
        Assert.True(data["status"]!.GetValue<string>() == "ok", data.ToJsonString());
        Assert.Equal(Phone, data["phone"]!.GetValue<string>());
    }

    public async Task AssertPendingAsync()
    {
        var data = await CheckAsync();
        Assert.True(data["status"]!.GetValue<string>() == "pending", data.ToJsonString());
    }

    /// <summary>Rows of the admin call log whose caller or called number is <paramref name="phone"/> (E.164).</summary>
    /// <summary>
    /// The call log of a phone, once it holds at least <paramref name="atLeast"/> rows (or after 30 s): over SIP,
    /// a call that confirms nothing is answered before its row is written (docs/architecture.md), so the row
    /// is waited for, not expected with the 486.
    /// </summary>
    public static async Task<JsonArray> CallLogAsync(BackcallProcess server, string phone, int atLeast = 1)
    {
        using var admin = server.CreateAdminClient();
        JsonArray rows = [];
        await Wait.UntilAsync(async () =>
        {
            var text = await admin.GetStringAsync($"api/admin/calls?phone={Uri.EscapeDataString(phone)}");
            rows = JsonNode.Parse(text)!.AsArray();
            return rows.Count >= atLeast;
        });
        return rows;
    }
}
