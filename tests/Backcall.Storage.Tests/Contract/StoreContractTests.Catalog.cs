using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        var token = await TokenAsync();
        var version = await Store.MigrateAsync();
        Assert.Equal(version, await Store.MigrateAsync());
        Assert.Equal(version, await AnotherNode().MigrateAsync());
        Assert.Equal(token, await Store.GetTokenAsync(token.Id));
    }

    [Fact]
    public async Task Tokens_are_created_listed_and_changed()
    {
        var v0 = await Store.GetCatalogVersionAsync();
        var token = await TokenAsync(free: 3, price: 2.5m, limit: 10m);
        Assert.True(token.Id > 0);
        Assert.Equal(
            (3, 2.5m, 10m, 0m, false),
            (token.FreeLeft, token.Price, token.BalanceLimit, token.Balance, token.Disabled));
        Assert.Equal(T0, token.CreatedAt);
        var v1 = await Store.GetCatalogVersionAsync();
        Assert.True(v1 > v0);

        var changed = await Store.UpdateTokenAsync(
            token.Id, new TokenChange { TopUp = 12.34m, Price = 3m, NotifyExpired = true, FreeLeft = 7 });
        Assert.NotNull(changed);
        Assert.Equal(
            (12.34m, 3m, true, 7, 10m),
            (changed.Balance, changed.Price, changed.NotifyExpired, changed.FreeLeft, changed.BalanceLimit));
        Assert.True(await Store.GetCatalogVersionAsync() > v1);

        var rotated = await Store.UpdateTokenAsync(
            token.Id, new TokenChange { NewWebhookSecret = "whsec_new", PreviousSecretExpiresAt = T0.AddDays(1) });
        Assert.Equal(
            ("whsec_new", token.WebhookSecret, T0.AddDays(1)),
            (rotated!.WebhookSecret, rotated.PreviousWebhookSecret, rotated.PreviousSecretExpiresAt));

        // Changing something else keeps the rotation as it is.
        var disabled = await Store.UpdateTokenAsync(token.Id, new TokenChange { Disabled = true });
        Assert.Equal(
            (true, "whsec_new", token.WebhookSecret),
            (disabled!.Disabled, disabled.WebhookSecret, disabled.PreviousWebhookSecret));

        Assert.Null(await Store.UpdateTokenAsync(token.Id + 1000, new TokenChange { Disabled = true }));
        Assert.Null(await Store.GetTokenAsync(token.Id + 1000));
        var other = await TokenAsync();
        Assert.Equal([token.Id, other.Id], (await Store.ListTokensAsync()).Select(t => t.Id));
        Assert.Equal(disabled, await AnotherNode().GetTokenAsync(token.Id));
    }

    [Fact]
    public async Task Numbers_are_added_once_switched_and_removed()
    {
        var v0 = await Store.GetCatalogVersionAsync();
        Assert.True(await Store.AddNumberAsync(N2, T0));
        Assert.True(await Store.AddNumberAsync(N1, T0.AddSeconds(1)));
        Assert.False(await Store.AddNumberAsync(N1, T0));
        var v1 = await Store.GetCatalogVersionAsync();
        Assert.True(v1 > v0);

        var numbers = await Store.ListNumbersAsync();
        Assert.Equal([N1, N2], numbers.Select(n => n.Number));
        Assert.All(numbers, n => Assert.True(n.Enabled));
        Assert.Equal(T0.AddSeconds(1), numbers[0].AddedAt);

        Assert.True(await Store.SetNumberEnabledAsync(N1, false));
        Assert.False((await Store.ListNumbersAsync())[0].Enabled);
        Assert.True(await Store.GetCatalogVersionAsync() > v1);
        Assert.False(await Store.SetNumberEnabledAsync(new("+79640000099"), true));

        Assert.True(await Store.RemoveNumberAsync(N1));
        Assert.False(await Store.RemoveNumberAsync(N1));
        Assert.Equal([N2], (await Store.ListNumbersAsync()).Select(n => n.Number));
    }

    [Fact]
    public async Task The_catalog_version_moves_for_changes_made_by_another_node()
    {
        var before = await Store.GetCatalogVersionAsync();
        await AnotherNode().AddNumberAsync(N1, T0);
        Assert.True(await Store.GetCatalogVersionAsync() > before);
    }
}
