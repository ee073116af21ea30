using Backcall.Core.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Core.Tests.Tokens;

public sealed class TokenTests
{
    [Fact]
    public async Task Token_is_stored_only_as_its_hash()
    {
        await using var h = new CoreHarness();
        var created = await h.Tokens.CreateAsync("shop");
        var stored = Assert.Single(await h.Tokens.ListAsync());
        Assert.Equal(TokenSecrets.Hash(created.Secret), stored.Hash);
        Assert.NotEqual(created.Secret, stored.Hash);

        // Not the token, nor its secret part, anywhere in the database file.
        await h.Store.DisposeAsync();
        var bytes = await File.ReadAllBytesAsync(h.Store.DatabasePath);
        var wal = h.Store.DatabasePath + "-wal";
        var all = bytes.Concat(File.Exists(wal) ? await File.ReadAllBytesAsync(wal) : []).ToArray();
        Assert.Equal(-1, System.Text.Encoding.UTF8.GetString(all).IndexOf(created.Secret, StringComparison.Ordinal));
        Assert.Equal(
            -1, System.Text.Encoding.UTF8.GetString(all).IndexOf(created.Secret[9..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Authenticates_by_token_and_not_by_anything_else()
    {
        await using var h = new CoreHarness();
        var created = await h.Tokens.CreateAsync("shop");
        Assert.True(h.Catalog.TryAuthenticate(created.Secret, out var t));
        Assert.Equal(created.Token.Id, t.Id);
        Assert.False(h.Catalog.TryAuthenticate(created.Token.Hash, out _));
        Assert.False(h.Catalog.TryAuthenticate("", out _));
        Assert.False(h.Catalog.TryAuthenticate(Guid.NewGuid().ToString(), out _));
    }

    [Fact]
    public async Task A_remembered_token_stops_working_once_disabled()
    {
        await using var h = new CoreHarness();
        var created = await h.Tokens.CreateAsync("shop");
        Assert.True(h.Catalog.TryAuthenticate(created.Secret, out var first));
        Assert.True(h.Catalog.TryAuthenticate(created.Secret, out var again));
        Assert.Same(first, again);
        Assert.True(h.Catalog.TryAuthenticate(created.Secret.ToUpperInvariant(), out _));

        await h.Tokens.SetDisabledAsync(created.Token.Id, true);
        Assert.True(h.Catalog.TryAuthenticate(created.Secret, out var disabled));
        Assert.True(disabled.Disabled);
    }

    [Fact]
    public async Task New_token_has_the_configured_free_requests_and_a_webhook_secret()
    {
        await using var h = new CoreHarness();
        var created = await h.Tokens.CreateAsync("shop");
        Assert.Equal(50, created.Token.FreeLeft);
        Assert.StartsWith("whsec_", created.Token.WebhookSecret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(created.Token.WebhookSecret["whsec_".Length..]).Length);
        Assert.True(Guid.TryParse(created.Secret, out _));
    }

    [Fact]
    public async Task Rotation_keeps_the_previous_secret_for_the_grace_period()
    {
        await using var h = new CoreHarness();
        var created = await h.Tokens.CreateAsync("shop");
        var rotated = await h.Tokens.RotateWebhookSecretAsync(created.Token.Id);
        Assert.NotEqual(created.Token.WebhookSecret, rotated!.WebhookSecret);
        Assert.Equal(created.Token.WebhookSecret, rotated.PreviousWebhookSecret);
        Assert.Equal(h.Time.GetUtcNow().AddHours(24), rotated.PreviousSecretExpiresAt);
    }

    [Fact]
    public async Task Bad_operator_input_is_refused()
    {
        await using var h = new CoreHarness();
        await Assert.ThrowsAsync<ArgumentException>(() => h.Tokens.CreateAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => h.Tokens.CreateAsync("x", price: -1));
        var t = await h.TokenAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => h.Tokens.TopUpAsync(t.Id, 0));
        Assert.Null(await h.Tokens.SetDisabledAsync(9999, true));
        Assert.Throws<ArgumentException>(() => h.Numbers.Parse("not a number"));
    }

    [Fact]
    public void Rate_limiter_refuses_past_the_burst_and_says_when()
    {
        var time = new FakeTimeProvider();
        using var limiter = new TokenRateLimiter(
            Microsoft.Extensions.Options.Options.Create(new TokenOptions { Burst = 3, RequestsPerSecond = 1 }), time);
        Assert.True(limiter.TryAcquire(1, out _));
        Assert.True(limiter.TryAcquire(1, out _));
        Assert.True(limiter.TryAcquire(1, out _));
        Assert.False(limiter.TryAcquire(1, out var after));
        Assert.Equal(TimeSpan.FromSeconds(1), after);
        Assert.True(limiter.TryAcquire(2, out _));

        // One request a second comes back, and no more than the burst however long the token was idle.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(1, out _));
        Assert.False(limiter.TryAcquire(1, out _));
        time.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.TryAcquire(1, out _));
        }

        Assert.False(limiter.TryAcquire(1, out _));
    }
}
