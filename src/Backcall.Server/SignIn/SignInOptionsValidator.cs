using Backcall.Core;
using Microsoft.Extensions.Options;

namespace Backcall.Server.SignIn;

internal sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var errors = new OptionErrors(SignInOptions.Section);
        errors.Between(options.CodeLifetime, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));
        errors.Between(options.AccessTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        errors.Between(options.IdentityTokenLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        errors.Between(options.PageLifetime, TimeSpan.FromMinutes(2), TimeSpan.FromDays(1));
        errors.Between(options.RequestsPerMinute, 1, 1_000_000);
        errors.Between(options.KeyPublishLead, TimeSpan.Zero, TimeSpan.FromDays(90));
        errors.Between(options.KeyRetention, TimeSpan.Zero, TimeSpan.FromDays(365));
        if (options.KeyEncryptionKey is { Length: > 0 and < 16 })
        {
            errors.Add(
                nameof(options.KeyEncryptionKey),
                "is shorter than 16 characters; leave it empty to use oidc.key in the data directory.");
        }

        return errors.Result();
    }
}
