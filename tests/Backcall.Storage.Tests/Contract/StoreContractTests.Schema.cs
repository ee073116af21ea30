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
        Assert.Contains($"version {version + 1}, newer than this build knows ({version})", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Records in the database, the way the store keeps it, that a later build migrated it to <paramref name="version"/>.</summary>
    protected abstract Task MarkSchemaVersionAsync(int version);
}
