using System.Security.Cryptography;
using Backcall.Core.SignIn;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Microsoft.Extensions.Options;

namespace Backcall.Server.SignIn;

/// <summary>
/// The provider's keys in the database: created on first start, rotated by the operator (CLI, admin API). A
/// rotated-in signing key is published at once and signs only after <see cref="SignInOptions.KeyPublishLead"/>;
/// the keys it replaces stay published and accepted for <see cref="SignInOptions.KeyRetention"/> after that.
/// </summary>
public sealed class SignInKeyAdmin(
    ISignInStore store, SignInKeyProtector protector, IOptions<SignInOptions> options, TimeProvider time)
{
    private static readonly SignInKeyUse[] Uses = [SignInKeyUse.Signing, SignInKeyUse.Encryption, SignInKeyUse.Secret];

    public Task<IReadOnlyList<SignInKey>> ListAsync(CancellationToken cancellationToken = default) =>
        store.ListSignInKeysAsync(cancellationToken);

    /// <summary>Creates a key of each use that has none in force (first start); returns every key.</summary>
    public async Task<IReadOnlyList<SignInKey>> EnsureAsync(CancellationToken cancellationToken = default)
    {
        var keys = await store.ListSignInKeysAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var added = false;
        foreach (var use in Uses.Where(u => !keys.Any(k => k.Use == u && !k.IsRetiredAt(now))))
        {
            await store.AddSignInKeyAsync(NewKey(use, now, now), null, cancellationToken).ConfigureAwait(false);
            added = true;
        }

        return added ? await store.ListSignInKeysAsync(cancellationToken).ConfigureAwait(false) : keys;
    }

    /// <summary>
    /// New signing and encryption keys; the pairwise secret never rotates (subjects must stay stable).
    /// </summary>
    public async Task<IReadOnlyList<SignInKey>> RotateAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        var activates = now + o.KeyPublishLead;
        var signing = NewKey(SignInKeyUse.Signing, now, activates);
        var encryption = NewKey(SignInKeyUse.Encryption, now, activates);
        await store.AddSignInKeyAsync(signing, activates + o.KeyRetention, cancellationToken).ConfigureAwait(false);
        await store.AddSignInKeyAsync(encryption, activates + o.KeyRetention, cancellationToken).ConfigureAwait(false);
        return [signing, encryption];
    }

    /// <summary>The key material for this moment.</summary>
    public async Task<SignInKeyMaterial> LoadAsync(CancellationToken cancellationToken = default) =>
        SignInKeyMaterial.From(await EnsureAsync(cancellationToken).ConfigureAwait(false), protector, time.GetUtcNow());

    private SignInKey NewKey(SignInKeyUse use, DateTimeOffset now, DateTimeOffset activates)
    {
        byte[] material;
        if (use == SignInKeyUse.Signing)
        {
            using var rsa = RSA.Create(2048);
            material = rsa.ExportPkcs8PrivateKey();
        }
        else
        {
            material = RandomNumberGenerator.GetBytes(32);
        }

        try
        {
            return new SignInKey(TokenSecrets.NewKey(12), use, protector.Protect(material), now, activates, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }
}
