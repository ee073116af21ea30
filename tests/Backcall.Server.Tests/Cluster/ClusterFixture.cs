using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Cluster;

/// <summary>
/// One throwaway PostgreSQL server for the cluster tests; each test makes its own database and nodes.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public PostgresInstance Postgres { get; private set; } = null!;

    public async Task InitializeAsync() => Postgres = await PostgresInstance.StartAsync();

    public async Task DisposeAsync() => await Postgres.DisposeAsync();

    /// <summary>Starts <paramref name="count"/> real backcall processes on one new database.</summary>
    public async Task<BackcallProcess[]> StartNodesAsync(int count, params string[] extraArgs) =>
        (await StartClusterAsync(count, extraArgs)).Nodes;

    /// <summary>
    /// Starts <paramref name="count"/> real backcall processes on one new database; also returns its connection
    /// string.
    /// </summary>
    public Task<(string Database, BackcallProcess[] Nodes)> StartClusterAsync(int count, params string[] extraArgs) =>
        StartClusterAsync(count, null, extraArgs);

    public async Task<(string Database, BackcallProcess[] Nodes)> StartClusterAsync(
        int count, IDictionary<string, string>? environment, params string[] extraArgs)
    {
        var database = await Postgres.CreateDatabaseAsync("cluster");
        var nodes = new BackcallProcess[count];
        for (var i = 0; i < count; i++)
        {
            nodes[i] = await StartNodeAsync(database, environment, extraArgs);
        }

        return (database, nodes);
    }

    /// <summary>
    /// Waits until <paramref name="node"/> accepts <paramref name="token"/> (created through another node).
    /// </summary>
    public static async Task WaitUntilKnownAsync(BackcallProcess node, string token)
    {
        using var client = node.CreateClient();
        var balance = $"api/v1/authcalls/{token}/get_balance";
        Assert.True(
            await Wait.UntilAsync(async () => (await client.GetJsonAsync(balance)).Status == 200),
            "the node never learned of the token");
    }

    /// <summary>One more node on an existing database.</summary>
    public static Task<BackcallProcess> StartNodeAsync(
        string database, IDictionary<string, string>? environment = null, params string[] extraArgs)
    {
        // The tests poll checks in tight loops; the per-token rate limit is not what they are about.
        var env = new Dictionary<string, string>
        {
            ["BACKCALL_Tokens__RequestsPerSecond"] = "100000",
            ["BACKCALL_Tokens__Burst"] = "100000",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        return BackcallProcess.StartAsync(["--db", database, .. extraArgs], env);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
