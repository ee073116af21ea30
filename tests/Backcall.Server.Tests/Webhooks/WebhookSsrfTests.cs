using System.Net;

namespace Backcall.Server.Tests.Webhooks;

/// <summary>The real server refuses internal webhook destinations with 400 (no allowlist configured).</summary>
public sealed class WebhookSsrfTests
{
    [Fact]
    public async Task Internal_webhook_destinations_are_refused_with_400()
    {
        await using var s = await WebhookScenario.StartAsync(allowLoopback: false);
        string[] refused =
        [
            "http://127.0.0.1/hook",
            "http://localhost:8080/hook",
            "http://LOCALHOST./hook",
            "http://api.localhost/hook",
            "http://[::1]/hook",
            "http://10.0.0.1/hook",
            "http://192.168.1.10/hook",
            "http://172.16.0.1/hook",
            "http://100.64.0.1/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://0.0.0.0/hook",
            "http://224.0.0.1/hook",
            "http://[::ffff:127.0.0.1]/hook",
            "http://[::ffff:169.254.169.254]/hook",
            "http://[fd00::1]/hook",
            "http://[fe80::1]/hook",
            "http://2130706433/hook",
            "http://0x7f.0.0.1/hook",
            $"http://{LoopbackName()}/hook",
            "ftp://example.com/hook",
            "file:///etc/passwd",
            "http:///nohost",
        ];

        foreach (var url in refused)
        {
            var (status, body) = await s.PostAsync(url);
            Assert.True(status == 400, $"{url}: {status} {body.ToJsonString()}");
            Assert.False(body["success"]!.GetValue<bool>());
            var error = body["error"]!.GetValue<string>();
            Assert.Contains("webhook", error, StringComparison.Ordinal);

            // Clients read "token" in an error as an authentication failure.
            Assert.DoesNotContain("token", error, StringComparison.OrdinalIgnoreCase);
        }

        // A public address is accepted (and nothing is sent: it is never confirmed).
        var (ok, accepted) = await s.PostAsync("http://93.184.216.34/hook?x=1");
        Assert.True(ok == 200, accepted.ToJsonString());
    }

    [Fact]
    public async Task A_documentation_domain_is_accepted_and_never_called()
    {
        await using var s = await WebhookScenario.StartAsync(allowLoopback: false);
        var (id, auth, user) = await s.CreateAsync("https://app.example.com/cb");
        await s.ConfirmAsync(user, auth);

        // Refused before any DNS lookup or connection, and not retried.
        var failed = await s.WaitForDeliveryAsync(id, "failed");
        Assert.Equal(1, failed["attempts"]!.GetValue<int>());
        Assert.Contains(
            "reserved for documentation", failed["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A name other than localhost that this machine resolves to loopback (from /etc/hosts, so no DNS server is
    /// asked).
    /// </summary>
    internal static string LoopbackName()
    {
        foreach (var line in File.Exists("/etc/hosts") ? File.ReadAllLines("/etc/hosts") : [])
        {
            var fields = line.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && IPAddress.TryParse(fields[0], out var ip) && IPAddress.IsLoopback(ip))
            {
                var name = fields.Skip(1).FirstOrDefault(n =>
                    !n.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                    && !n.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase));
                if (name is not null)
                {
                    return name;
                }
            }
        }

        var host = Dns.GetHostName();
        Assert.All(
            Dns.GetHostAddresses(host),
            a => Assert.True(IPAddress.IsLoopback(a), $"{host} resolves to {a}; no loopback name to test with"));
        return host;
    }
}
