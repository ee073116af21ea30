using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace Backcall.Server.Web.Assets;

/// <summary>
/// The files of <c>wwwroot/</c>, embedded in the server assembly and served from memory under <c>/static/</c>:
/// the server works offline, from any directory and as a single-file publish, with nothing to copy beside it.
/// </summary>
public sealed class EmbeddedAssets
{
    private const string Prefix = "wwwroot/";
    private readonly FrozenDictionary<string, Asset> _assets;

    public EmbeddedAssets()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // RecursiveDir uses the build machine's separator; requests always use '/'.
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var relative = path[Prefix.Length..];
            var type = types.TryGetContentType(relative, out var t) ? t : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal)
                || type is "application/javascript" or "text/javascript" or "image/svg+xml")
            {
                type += "; charset=utf-8";
            }

            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
            assets[relative] = new Asset(bytes, type, etag);
        }

        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Paths => _assets.Keys;

    /// <summary>A text asset (an HTML template), or null.</summary>
    public string? Text(string path) =>
        _assets.TryGetValue(path, out var a) ? System.Text.Encoding.UTF8.GetString(a.Bytes) : null;

    public IResult Serve(HttpContext context, string path)
    {
        if (!_assets.TryGetValue(path, out var asset))
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;

        // Revalidated on every use (cheap with the ETag): a new build must reach browsers at once, and the
        // files are small.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
