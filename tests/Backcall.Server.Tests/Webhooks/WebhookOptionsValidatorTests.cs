using Backcall.Server.Webhooks;

namespace Backcall.Server.Tests.Webhooks;

public sealed class WebhookOptionsValidatorTests
{
    [Fact]
    public void Defaults_and_valid_networks_pass()
    {
        var options = new WebhookOptions { AllowedNetworks = ["10.20.0.0/16", "127.0.0.1", "fd00::/8", "::1"] };
        Assert.True(new WebhookOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions()).Succeeded);
    }

    [Fact]
    public void Inconsistent_settings_are_reported_each_with_its_key()
    {
        var options = new WebhookOptions
        {
            FirstRetryDelay = TimeSpan.FromMinutes(5),
            MaxRetryDelay = TimeSpan.FromMinutes(1),
            MaxConcurrency = 2,
            MaxConcurrencyPerHost = 3,
            AllowedNetworks = ["10.0.0.0/33", "intranet"],
        };

        var result = new WebhookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(4, failures.Count);
        Assert.Contains(failures, f => f.Contains("Webhooks:MaxRetryDelay", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Webhooks:MaxConcurrencyPerHost", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("'intranet'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("'10.0.0.0/33'", StringComparison.Ordinal));
    }
}
