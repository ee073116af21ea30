using Backcall.Core.SignIn;
using Backcall.Server.Hosting;
using Backcall.Server.SignIn;
using Backcall.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Server.Tests.SignIn;

/// <summary>
/// The node's key ring on a fake clock: when a rotated key starts signing, without waiting for the minute's poll.
/// </summary>
public sealed class SignInKeyRefresherTests : IAsyncDisposable
{
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(40);

    private readonly string _directory =
        Path.Combine(Path.GetTempPath(), "backcall-keys-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteStore _store;
    private readonly SignInKeyAdmin _admin;
    private readonly SignInKeyRing _ring;

    public SignInKeyRefresherTests()
    {
        _store = new SqliteStore(Path.Combine(_directory, "backcall.db"));
        var options = Options.Create(new SignInOptions
        {
            KeyPublishLead = Lead,
            KeyRetention = Retention,
            KeyEncryptionKey = "a key-encryption key for this test only",
        });
        var server = Options.Create(new ServerOptions { DataDirectory = _directory });
        var protector = new SignInKeyProtector(options, server);
        _admin = new SignInKeyAdmin(_store, protector, options, _time);
        _ring = new SignInKeyRing(_admin);
    }

    [Fact]
    public async Task A_key_rotated_on_this_node_signs_at_its_activation_not_at_the_next_poll()
    {
        await _store.MigrateAsync();
        await _ring.RefreshAsync(CancellationToken.None);
        var old = _ring.Current.Signing[0].KeyId;
        using var refresher = new SignInKeyRefresher(_ring, _time, NullLogger<SignInKeyRefresher>.Instance);
        await refresher.StartAsync(CancellationToken.None);

        // As the admin API does: rotate, then refresh the ring so the new key is published at once.
        var fresh = (await _admin.RotateAsync()).First(k => k.Use == SignInKeyUse.Signing).KeyId;
        await _ring.RefreshAsync(CancellationToken.None);
        Assert.Equal([old], _ring.Current.Signing.Select(k => k.KeyId));
        Assert.Equal([fresh], _ring.Current.Upcoming.Select(k => k.KeyId));

        // The clock moves in small steps past the activation, never as far as the minute's poll (which would find
        // the new key on its own), giving the refresher real time to plan its wait at every step.
        var activation = _time.GetUtcNow() + Lead;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (_ring.Current.Signing[0].KeyId != fresh && DateTime.UtcNow < deadline)
        {
            if (_time.GetUtcNow() < activation + TimeSpan.FromSeconds(20))
            {
                _time.Advance(TimeSpan.FromMilliseconds(100));
            }

            await Task.Delay(20);
        }

        Assert.Equal([fresh, old], _ring.Current.Signing.Select(k => k.KeyId));
        Assert.True(_time.GetUtcNow() < activation + Retention, "the old key must still be in its retention");
        await refresher.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
