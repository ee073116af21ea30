using Backcall.Core.SignIn;

namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_client_is_kept_changed_and_removed_and_its_redirect_uris_come_back_in_order()
    {
        var token = await TokenAsync();
        var client = new SignInClient
        {
            ClientId = "bc-one",
            Name = "shop",
            RedirectUris = ["https://shop.example/b", "https://shop.example/a"],
            IsPublic = false,
            SecretHash = "hash",
            TokenId = token.Id,
            CreatedAt = T0,
        };
        Assert.True(await Store.CreateClientAsync(client));
        Assert.False(await Store.CreateClientAsync(client with { Name = "thief" }));

        var read = await AnotherNode().GetClientAsync("bc-one");
        Assert.Equal(client.RedirectUris, read!.RedirectUris);
        Assert.Equal(
            ("shop", false, "hash", token.Id, T0),
            (read.Name, read.IsPublic, read.SecretHash, read.TokenId, read.CreatedAt));

        var disabled = await Store.UpdateClientAsync("bc-one", new ClientChange(Disabled: true, SecretHash: "new"));
        Assert.Equal((true, "new"), (disabled!.Disabled, disabled.SecretHash));
        Assert.Null(await Store.UpdateClientAsync("bc-none", new ClientChange(Disabled: true)));
        Assert.Single(await Store.ListClientsAsync());
        Assert.True(await Store.RemoveClientAsync("bc-one"));
        Assert.False(await Store.RemoveClientAsync("bc-one"));
        Assert.Null(await Store.GetClientAsync("bc-one"));
    }

    [Fact]
    public async Task A_client_offers_just_call_unless_registered_without_it_and_the_switch_is_kept()
    {
        var token = await TokenAsync();
        var client = new SignInClient
        {
            ClientId = "bc-two",
            Name = "bank",
            RedirectUris = ["https://bank.example/cb"],
            IsPublic = true,
            TokenId = token.Id,
            CreatedAt = T0,
        };
        Assert.True(client.JustCall);
        Assert.True(await Store.CreateClientAsync(client));
        Assert.True(await Store.CreateClientAsync(client with { ClientId = "bc-three", JustCall = false }));
        Assert.True((await AnotherNode().GetClientAsync("bc-two"))!.JustCall);
        Assert.False((await AnotherNode().GetClientAsync("bc-three"))!.JustCall);

        // Turned off, then on, by a change that names nothing else; other changes leave it as it is.
        Assert.False((await Store.UpdateClientAsync("bc-two", new ClientChange(JustCall: false)))!.JustCall);
        var disabled = await Store.UpdateClientAsync("bc-two", new ClientChange(Disabled: true));
        Assert.Equal((true, false), (disabled!.Disabled, disabled.JustCall));
        Assert.False((await AnotherNode().ListClientsAsync()).Single(c => c.ClientId == "bc-two").JustCall);
        Assert.True((await Store.UpdateClientAsync("bc-two", new ClientChange(JustCall: true)))!.JustCall);
    }

    [Fact]
    public async Task A_new_key_retires_the_current_ones_of_its_use_only()
    {
        await Store.AddSignInKeyAsync(new SignInKey("s1", SignInKeyUse.Signing, "p1", T0, T0, null), null);
        await Store.AddSignInKeyAsync(new SignInKey("x1", SignInKeyUse.Secret, "px", T0, T0, null), null);
        var later = T0.AddDays(1);
        await Store.AddSignInKeyAsync(
            new SignInKey("s2", SignInKeyUse.Signing, "p2", later, later.AddHours(1), null), later.AddDays(2));

        var keys = (await AnotherNode().ListSignInKeysAsync()).ToDictionary(k => k.KeyId);
        Assert.Equal(later.AddDays(2), keys["s1"].RetiresAt);
        Assert.Null(keys["s2"].RetiresAt);
        Assert.Null(keys["x1"].RetiresAt);
        Assert.Equal(("p2", later.AddHours(1)), (keys["s2"].ProtectedKey, keys["s2"].ActivatesAt));
    }

    [Fact]
    public async Task A_grant_is_redeemed_once_across_nodes()
    {
        var other = AnotherNode();
        var results = await RaceAsync(
            () => Store.TryRedeemAsync("code-1", T0.AddMinutes(5)),
            () => other.TryRedeemAsync("code-1", T0.AddMinutes(5)));
        Assert.Single(results, r => r);
        Assert.False(await Store.TryRedeemAsync("code-1", T0.AddMinutes(5)));
        Assert.True(await Store.TryRedeemAsync("code-2", T0.AddMinutes(5)));
    }
}
