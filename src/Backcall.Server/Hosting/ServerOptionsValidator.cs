using Backcall.Core;
using Backcall.Sip;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Hosting;

/// <summary>Checks the <c>Server</c> section.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new OptionErrors(ServerOptions.Section);
        errors.NotEmpty(nameof(options.DataDirectory), options.DataDirectory, "the directory of the data and keys");
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            && !(Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url)
                && url.Scheme is "http" or "https"))
        {
            errors.Add(
                nameof(ServerOptions.PublicBaseUrl),
                $"'{options.PublicBaseUrl}' is not an absolute http(s) URL such as https://auth.example.com.");
        }

        foreach (var entry in NetworkList.Invalid(options.TrustedProxies))
        {
            errors.Add(nameof(ServerOptions.TrustedProxies), $"'{entry}' is not {NetworkList.Expected}.");
        }

        return errors.Result();
    }
}
