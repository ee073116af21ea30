using Backcall.Core.Tokens;
using Backcall.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// The demo's own API token. Its secret stays in the data directory (<c>demo.token</c>, owner-only) and in
/// this process: the browser only ever talks to the demo endpoints, which act with it on the server side.
/// </summary>
public sealed class DemoToken(
    Core.Catalog.CatalogCache catalog,
    TokenAdmin tokens,
    IOptions<ServerOptions> options,
    ILogger<DemoToken> logger)
{
    private long? _id;

    public string FilePath => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "demo.token");

    /// <summary>The demo token as the catalog has it now (disabled included), or null before it was prepared.</summary>
    public Token? Current => _id is { } id ? catalog.FindToken(id) : null;

    /// <summary>Reuses the stored token, or creates one (free of charge: price 0) and stores it.</summary>
    public async Task<Token> EnsureAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(FilePath)
            && catalog.TryAuthenticate(
                (await File.ReadAllTextAsync(FilePath, cancellationToken)).Trim(),
                out var existing))
        {
            _id = existing.Id;
            return existing;
        }

        // Price 0 with no free requests: every request is charged nothing, so the demo never runs dry.
        var created = await tokens.CreateAsync(
            "demo",
            price: 0,
            balanceLimit: 0,
            freeRequests: 0,
            cancellationToken: cancellationToken);
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using (var writer = new StreamWriter(FilePath, new System.Text.UTF8Encoding(false), file))
        {
            await writer.WriteAsync(created.Secret + "\n");
        }

        WebLog.DemoTokenCreated(logger, created.Token.Id, FilePath);
        _id = created.Token.Id;
        return created.Token;
    }
}
