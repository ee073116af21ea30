using Microsoft.Extensions.Options;

namespace Backcall.Core.Authorizations;

/// <summary>Checks the <c>Authorizations</c> section.</summary>
public sealed class AuthorizationOptionsValidator : IValidateOptions<AuthorizationOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthorizationOptions options)
    {
        var errors = new OptionErrors(AuthorizationOptions.Section);
        errors.Between(options.Lifetime, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));
        if (options.DefaultRegion is not { Length: 2 } region || !region.All(char.IsAsciiLetterUpper))
        {
            errors.Add(
                nameof(options.DefaultRegion),
                $"'{options.DefaultRegion}' is not two capital letters (ISO 3166), e.g. RU.");
        }

        errors.Between(options.PerPhoneLimit, 1, 1_000_000);
        errors.Between(options.PerPhoneTotalLimit, 1, 1_000_000);
        errors.Between(options.MaxLivePerTokenPhone, 1, 1000);
        errors.Between(options.IdentifyPoolShare, 1, 100);
        errors.Between(options.ExpiryNoticeDelay, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        errors.Between(options.PerPhoneWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        errors.Between(options.KeepFinishedInMemory, TimeSpan.Zero, TimeSpan.FromDays(1));
        errors.Between(options.Retention, TimeSpan.FromMinutes(1), TimeSpan.FromDays(3650));
        return errors.Result();
    }
}
