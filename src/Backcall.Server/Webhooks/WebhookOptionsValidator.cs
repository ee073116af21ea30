using Backcall.Core;
using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Webhooks;

/// <summary>Checks the <c>Webhooks</c> section: values in range, consistent limits, parseable networks.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new OptionErrors(WebhookOptions.Section);
        errors.Between(options.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        errors.Between(options.FirstRetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1));
        errors.Between(options.MaxRetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(7));
        errors.Between(options.RetryFor, TimeSpan.Zero, TimeSpan.FromDays(30));
        errors.Between(options.Jitter, 0.0, 1.0);
        errors.Between(options.MaxConcurrency, 1, 1024);
        errors.Between(options.MaxConcurrencyPerHost, 1, 1024);
        errors.Between(options.PollInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));
        errors.Between(options.MaxResponseBytes, 0, 1024 * 1024);
        if (options.MaxRetryDelay < options.FirstRetryDelay)
        {
            errors.Add(nameof(options.MaxRetryDelay), "must not be shorter than Webhooks:FirstRetryDelay.");
        }

        if (options.MaxConcurrencyPerHost > options.MaxConcurrency)
        {
            errors.Add(nameof(options.MaxConcurrencyPerHost), "must not exceed Webhooks:MaxConcurrency.");
        }

        foreach (var entry in NetworkList.Invalid(options.AllowedNetworks))
        {
            errors.Add(nameof(options.AllowedNetworks), $"'{entry}' is not {NetworkList.Expected}.");
        }

        return errors.Result();
    }
}
