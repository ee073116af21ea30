using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenIddict.Server;

namespace Backcall.Server.SignIn;

/// <summary>
/// The key material in force, read from the database at start and again whenever a key activates or retires
/// or another node rotates (<see cref="SignInKeyRefresher"/>). A change rebuilds OpenIddict's options, which
/// read the keys from here, so every node signs with the same key without a restart.
/// </summary>
public sealed class SignInKeyRing(SignInKeyAdmin admin) : IOptionsChangeTokenSource<OpenIddictServerOptions>
{
    private SignInKeyMaterial? _current;
    private CancellationTokenSource _changed = new();

    public string? Name => Options.DefaultName;

    /// <exception cref="InvalidOperationException">Read before the keys were loaded at start.</exception>
    public SignInKeyMaterial Current =>
        _current ?? throw new InvalidOperationException("the sign-in keys are not loaded yet");

    /// <summary>False until the keys were read (and while they cannot be decrypted on this node).</summary>
    public bool IsLoaded => _current is not null;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    /// <summary>Reads the keys (creating them on first start); true when they changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var material = await admin.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (_current?.Fingerprint == material.Fingerprint)
        {
            _current = material;
            return false;
        }

        _current = material;
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        await previous.CancelAsync().ConfigureAwait(false);
        previous.Dispose();
        return true;
    }
}
