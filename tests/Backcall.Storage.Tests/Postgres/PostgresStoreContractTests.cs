using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
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
        await using var command = new Npgsql.NpgsqlCommand("INSERT INTO backcall_schema (version, name) VALUES ($1, 'from a newer build')", c);
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

    [Fact]
    public async Task A_call_a_node_could_not_match_from_memory_yet_is_matched_from_the_database()
    {
        await Store.AddNumberAsync(N1, T0);
        var token = await TokenAsync();
        var created = await CreateAsync(token, N1, P1, webhook: "https://example.com/hook");

        // Node B has not heard of it yet: its matching proposes "nothing waiting".
        var result = await AnotherNode().RecordCallAsync(new CallRecord(Call(P1, N1, "early"), T0.AddSeconds(1), CallOutcome.NoLiveAuthorization, null, [], null));
        Assert.Equal((CallOutcome.Matched, (long?)created.Id), (result.Outcome, result.AuthorizationId));
        Assert.Equal(AuthorizationStatus.Ok, result.Confirmed!.Status);
        var logged = Assert.Single(await Store.ListCallsAsync(new CallQuery()));
        Assert.Equal((CallOutcome.Matched, (long?)created.Id), (logged.Outcome, logged.AuthorizationId));
        Assert.Single(await Store.ListDeliveriesAsync(new DeliveryQuery()));

        // A caller that really is someone else stays a wrong caller.
        var other = await CreateAsync(token, N1, P2);
        var wrong = await Store.RecordCallAsync(new CallRecord(Call(new("+79990001122"), N1), T0.AddSeconds(2), CallOutcome.WrongCaller, null, [other.Id], "+7999***1122"));
        Assert.Equal(CallOutcome.WrongCaller, wrong.Outcome);
    }
}
