using Backcall.Core.Storage;
using Backcall.Storage.Postgres;
using Backcall.Storage.Tests.Contract;

namespace Backcall.Storage.Tests.Postgres;

/// <summary>The storage contract on a real PostgreSQL server, a fresh database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContractTests(PostgresFixture fixture) : StoreContractTests
{
    private string _connectionString = "";

    protected override async Task<IBackcallStore> CreateStoreAsync()
    {
        _connectionString = await fixture.Server.CreateDatabaseAsync("contract");
        return new PostgresStore(_connectionString);
    }

    protected override IBackcallStore OpenAnotherNode() => new PostgresStore(_connectionString);

    protected override async Task MarkSchemaVersionAsync(int version)
    {
        await using var c = new Npgsql.NpgsqlConnection(_connectionString);
        await c.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "INSERT INTO backcall_schema (version, name) VALUES ($1, 'from a newer build')", c);
        command.Parameters.AddWithValue(version);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Nodes_starting_together_on_an_empty_database_migrate_once()
    {
        var cs = await fixture.Server.CreateDatabaseAsync("migrate");
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresStore(cs)).ToList();
        var versions = await Task.WhenAll(stores.Select(s => s.MigrateAsync()));
        Assert.All(versions, v => Assert.Equal(versions[0], v));
        Assert.True(versions[0] >= 1);
        Assert.Equal(1, await stores[0].GetCatalogVersionAsync());
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }
}
