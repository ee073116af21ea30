using System.Security.Cryptography;
using System.Text;
using Backcall.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Backcall.Server.Admin;

/// <summary>The admin and PBX keys of this server, and constant-time checks against them.</summary>
public sealed class AdminKeys
{
    private readonly byte[] _adminHash;
    private readonly byte[] _pbxHash;

    public AdminKeys(IOptions<ServerOptions> options)
    {
        var o = options.Value;
        AdminKey = KeyFiles.LoadOrCreate(o.AdminKey, Path.Combine(o.DataDirectory, "admin.key"), out var adminCreated);
        PbxKey = KeyFiles.LoadOrCreate(o.PbxKey, Path.Combine(o.DataDirectory, "pbx.key"), out var pbxCreated);
        AdminKeyCreated = adminCreated;
        PbxKeyCreated = pbxCreated;
        _adminHash = SHA256.HashData(Encoding.UTF8.GetBytes(AdminKey));
        _pbxHash = SHA256.HashData(Encoding.UTF8.GetBytes(PbxKey));
    }

    public string AdminKey { get; }

    public string PbxKey { get; }

    public bool AdminKeyCreated { get; }

    public bool PbxKeyCreated { get; }

    public bool IsAdmin(string? presented) => Matches(presented, _adminHash);

    public bool IsPbx(string? presented) => Matches(presented, _pbxHash);

    /// <summary>The key from <c>Authorization: Bearer …</c> or <c>X-Api-Key</c>.</summary>
    public static string? FromRequest(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return auth["Bearer ".Length..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    private static bool Matches(string? presented, byte[] expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);
}
