using System.Text.RegularExpressions;
using Backcall.Server.Tests.Infrastructure;

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

        var text = await client.GetStringAsync("metrics");
        Assert.Equal(1, Value(text, "backcall_authorizations_created"));
        Assert.Equal(1, Value(text, "backcall_authorizations_confirmed"));
        Assert.Equal(1, Value(text, "backcall_calls", "outcome=\"matched\""));
        Assert.Equal(1, Value(text, "backcall_calls", "outcome=\"no_live_authorization\""));
        Assert.Contains("backcall_sip_", text, StringComparison.Ordinal);
    }

    private static double Value(string text, string name, string? label = null)
    {
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"{name} {label} not in /metrics:\n{text}");
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[0-9.eE+-]+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
