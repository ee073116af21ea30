using Backcall.Testing;

namespace Backcall.Storage.Tests.Postgres;

/// <summary>
/// One throwaway PostgreSQL server for every PostgreSQL test class of this assembly; each test gets its own
/// database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresInstance Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresInstance.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
