using Backcall.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Admin;

/// <summary>
/// A configured admin key opens the whole server (tokens, webhook secrets), so it must be as hard to guess
/// as a generated one (32 characters); empty means "generate one in the data directory".
/// </summary>
internal sealed class AdminKeyValidator : IValidateOptions<ServerOptions>
{
    public const int MinimumLength = 32;

    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        options.AdminKey is { } key && !string.IsNullOrWhiteSpace(key) && key.Trim().Length < MinimumLength
            ? ValidateOptionsResult.Fail(
                $"Server:AdminKey is {key.Trim().Length} characters; use at least {MinimumLength} random characters, "
                + "or leave it empty to have one generated in admin.key in the data directory.")
            : ValidateOptionsResult.Success;
}
