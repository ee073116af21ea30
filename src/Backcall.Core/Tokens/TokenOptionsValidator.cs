using Microsoft.Extensions.Options;

namespace Backcall.Core.Tokens;

/// <summary>Checks the <c>Tokens</c> section: each value in its range.</summary>
public sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var errors = new OptionErrors(TokenOptions.Section);
        errors.Between(options.FreeRequests, 0, 1_000_000_000);
        errors.Between(options.DefaultPrice, 0m, 1_000_000m);
        errors.Between(options.DefaultBalanceLimit, 0m, 1_000_000_000m);
        errors.Between(options.RequestsPerSecond, 1, 1_000_000);
        errors.Between(options.Burst, 1, 1_000_000);
        errors.Between(options.SecretRotationGrace, TimeSpan.Zero, TimeSpan.FromDays(30));
        return errors.Result();
    }
}
