namespace Backcall.Storage.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Migrating_a_current_database_again_changes_nothing()
    {
        var version = await Store.MigrateAsync();
        Assert.True(version >= 1);
        Assert.Equal(version, await AnotherNode().MigrateAsync());
        Assert.Equal(1, await Store.GetCatalogVersionAsync());
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_build_is_refused()
    {
        var version = await Store.MigrateAsync();
        await MarkSchemaVersionAsync(version + 1);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => AnotherNode().MigrateAsync());
        Assert.Contains(
            $"version {version + 1}, newer than this build knows ({version})",
            refused.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_disposed_under_each_of_its_interfaces_closes_once_and_stays_closed()
    {
        // The host's container disposes the store once per interface it is registered as.
        var node = AnotherNode();
        await node.MigrateAsync();
        await node.DisposeAsync();
        await node.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => node.AddNumberAsync(N1, T0)); // a closed store writes nothing
        Assert.Equal(1, await Store.GetCatalogVersionAsync()); // the database itself is untouched
    }

    /// <summary>
    /// Records in the database, the way the store keeps it, that a later build migrated it to
    /// <paramref name="version"/>.
    /// </summary>
    protected abstract Task MarkSchemaVersionAsync(int version);
}
