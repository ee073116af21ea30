using Microsoft.Extensions.Options;

namespace Backcall.Server.Webhooks;

/// <summary>The checks attributes cannot express: consistent limits and parseable networks.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new List<string>();
        if (options.MaxRetryDelay < options.FirstRetryDelay)
        {
            errors.Add("Webhooks:MaxRetryDelay must not be shorter than Webhooks:FirstRetryDelay.");
        }

        if (options.MaxConcurrencyPerHost > options.MaxConcurrency)
        {
            errors.Add("Webhooks:MaxConcurrencyPerHost must not exceed Webhooks:MaxConcurrency.");
        }

        foreach (var entry in options.AllowedNetworks)
        {
            if (!WebhookAddressGuard.TryParseNetwork(entry, out _))
            {
                errors.Add($"Webhooks:AllowedNetworks: '{entry}' is neither an IP address nor a CIDR range such as 10.20.0.0/16.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
