using Microsoft.Extensions.Options;

namespace Backcall.Server.Metrics;

/// <summary>A metrics URL must be a plain listen URL with a fixed port; a key must not be guessable.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public const int MinimumKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(options.Url) && !IsListenUrl(options.Url))
        {
            errors.Add($"Metrics:Url: '{options.Url}' is not an http URL with a port, such as http://127.0.0.1:9464.");
        }

        if (options.Key is { } key && key.Trim().Length < MinimumKeyLength)
        {
            errors.Add(
                $"Metrics:Key is {key.Trim().Length} characters; use at least {MinimumKeyLength} (or leave it empty).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsListenUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttp
        && uri.AbsolutePath == "/"
        && !uri.IsDefaultPort
        && uri.Port > 0;
}
