using Backcall.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Api;

/// <summary>
/// Absolute URLs for links the server hands out: from <see cref="ServerOptions.PublicBaseUrl"/> when set,
/// else from the request (whose scheme and host the forwarded-headers middleware has already corrected,
/// for trusted proxies only).
/// </summary>
public sealed class PublicUrls(IOptions<ServerOptions> options)
{
    private readonly string? _base = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)
        ? null
        : options.Value.PublicBaseUrl.TrimEnd('/');

    public string Absolute(HttpRequest request, string path) =>
        (_base ?? $"{request.Scheme}://{request.Host}{request.PathBase}") + path;

    public string QrImage(HttpRequest request, string key) =>
        Absolute(request, $"/api/v1/authcalls/get_qr_image/{key}/");
}
