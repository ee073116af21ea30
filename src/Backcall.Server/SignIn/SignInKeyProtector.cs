using System.Security.Cryptography;
using System.Text;
using Backcall.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Backcall.Server.SignIn;

/// <summary>
/// Encrypts the provider's keys for the database (AES-256-GCM) with a key that never enters it: <c>oidc.key</c>
/// in the data directory (owner-only, created on first use) or <c>SignIn:KeyEncryptionKey</c>. A stolen
/// database or backup alone signs no token.
/// </summary>
public sealed class SignInKeyProtector
{
    private const string Version = "v1.";
    private readonly Lazy<byte[]> _key;

    public SignInKeyProtector(IOptions<SignInOptions> options, IOptions<ServerOptions> server)
    {
        FilePath = Path.Combine(Path.GetFullPath(server.Value.DataDirectory), "oidc.key");
        _key = new Lazy<byte[]>(() =>
            SHA256.HashData(Encoding.UTF8.GetBytes(
                KeyFiles.LoadOrCreate(options.Value.KeyEncryptionKey, FilePath, out _))));
    }

    public string FilePath { get; }

    public string Protect(ReadOnlySpan<byte> plain)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(_key.Value, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag);
        }

        return Version + Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    /// <exception cref="InvalidOperationException">The key file is not the one the keys were encrypted
    /// with.</exception>
    public byte[] Unprotect(string protectedKey, string keyId)
    {
        try
        {
            var data = Convert.FromBase64String(protectedKey[Version.Length..]);
            var plain = new byte[data.Length - 28];
            using var aes = new AesGcm(_key.Value, 16);
            aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(28), data.AsSpan(12, 16), plain);
            return plain;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"cannot decrypt sign-in key {keyId} of the database with {FilePath} (or SignIn:KeyEncryptionKey): "
                + "every node needs the same key file; copy oidc.key from the node that created the keys", ex);
        }
    }
}
