using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Cluster;

/// <summary>One throwaway PostgreSQL server for the cluster tests; each test makes its own database and nodes.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public PostgresInstance Postgres { get; private set; } = null!;

    public async Task InitializeAsync() => Postgres = await PostgresInstance.StartAsync();

    public async Task DisposeAsync() => await Postgres.DisposeAsync();

    /// <summary>Starts <paramref name="count"/> real backcall processes on one new database.</summary>
    public async Task<BackcallProcess[]> StartNodesAsync(int count, params string[] extraArgs) =>
        (await StartClusterAsync(count, extraArgs)).Nodes;

    /// <summary>Starts <paramref name="count"/> real backcall processes on one new database; also returns its connection string.</summary>
    public async Task<(string Database, BackcallProcess[] Nodes)> StartClusterAsync(int count, params string[] extraArgs)
    {
        var database = await Postgres.CreateDatabaseAsync("cluster");
        var nodes = new BackcallProcess[count];
        for (var i = 0; i < count; i++)
        {
            nodes[i] = await BackcallProcess.StartAsync(["--db", database, .. extraArgs]);
        }

        return (database, nodes);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
