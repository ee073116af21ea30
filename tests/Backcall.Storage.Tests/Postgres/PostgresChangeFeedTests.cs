using Backcall.Core.Storage;
using Backcall.Storage.Postgres;
using Npgsql;

namespace Backcall.Storage.Tests.Postgres;

/// <summary>The NOTIFY/LISTEN change feed between two stores (two nodes) on one real database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresChangeFeedTests(PostgresFixture fixture) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private PostgresStore _a = null!;
    private PostgresStore _b = null!;
    private string _database = "";
    private System.Threading.Channels.Channel<StoreChange> _seenByB = null!;
    private Task _watch = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var cs = await fixture.Server.CreateDatabaseAsync("feed");
        _database = new NpgsqlConnectionStringBuilder(cs).Database!;
        _a = new PostgresStore(cs);
        _b = new PostgresStore(cs);
        await _a.MigrateAsync();
        _seenByB = System.Threading.Channels.Channel.CreateUnbounded<StoreChange>();
        _watch = Task.Run(async () =>
        {
            await foreach (var change in _b.WatchAsync(_stop.Token))
            {
                _seenByB.Writer.TryWrite(change);
            }
        });
        Assert.Equal(new StoreChange(StoreChangeKind.Resync), await NextAsync());
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _watch.WaitAsync(Wait));
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Another_node_hears_of_created_and_confirmed_authorizations_and_catalog_changes()
    {
        await _a.AddNumberAsync(new("+79640000001"), T0);
        Assert.Equal(new StoreChange(StoreChangeKind.Catalog), await NextAsync());
        var token = await _a.CreateTokenAsync(new NewToken("t", "h", "bc", "whsec", 1m, 0m, 5, false, T0));
        Assert.Equal(new StoreChange(StoreChangeKind.Catalog), await NextAsync());

        var create = await _a.CreateAuthorizationAsync(new NewAuthorization(
            token.Id, new("+79001234567"), new("+79640000001"), "qr", T0, T0.AddMinutes(5), null, false));
        var created = create.Authorization!;
        Assert.Equal(new StoreChange(StoreChangeKind.Authorization, created.Id), await NextAsync());

        await _a.RecordCallAsync(Core.Calls.CallRules.ForMatch(
            new("c1", created.UserPhone, created.AuthNumber, "test"),
            created.UserPhone!.Value,
            created,
            T0.AddSeconds(1)));
        Assert.Equal(new StoreChange(StoreChangeKind.Authorization, created.Id), await NextAsync());
    }

    [Fact]
    public async Task A_node_hears_its_own_changes_but_not_rolled_back_ones()
    {
        await _b.AddNumberAsync(new("+79640000001"), T0);
        Assert.Equal(StoreChangeKind.Catalog, (await NextAsync()).Kind);
        var token = await _b.CreateTokenAsync(new NewToken("t", "h", "bc", "whsec", 1m, 0m, 1, false, T0));
        Assert.Equal(StoreChangeKind.Catalog, (await NextAsync()).Kind);
        var created = await _a.CreateAuthorizationAsync(new NewAuthorization(
            token.Id, new("+79001234567"), new("+79640000001"), "qr1", T0, T0.AddMinutes(5), null, false));
        Assert.Equal(CreateAuthorizationError.None, created.Error);
        Assert.Equal(StoreChangeKind.Authorization, (await NextAsync()).Kind);

        // A losing lease rolls back, NOTIFY included.
        await _a.UpdateTokenAsync(token.Id, new TokenChange { FreeLeft = 5 });
        Assert.Equal(StoreChangeKind.Catalog, (await NextAsync()).Kind);
        var taken = await _a.CreateAuthorizationAsync(new NewAuthorization(
            token.Id, new("+79001234567"), new("+79640000001"), "qr2", T0, T0.AddMinutes(5), null, false));
        Assert.Equal(CreateAuthorizationError.NumberTaken, taken.Error);

        // Notifications arrive in commit order: had the rolled-back one been sent, it would come before this.
        await _a.AddNumberAsync(new("+79640000002"), T0);
        Assert.Equal(new StoreChange(StoreChangeKind.Catalog), await NextAsync());
    }

    [Fact]
    public async Task A_lost_connection_is_reopened_and_reported_as_a_resync()
    {
        await fixture.Server.ExecuteAsync(
            _database,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'backcall-listen'");
        Assert.Equal(new StoreChange(StoreChangeKind.Resync), await NextAsync());

        // And it listens again.
        await _a.AddNumberAsync(new("+79640000001"), T0);
        Assert.Equal(new StoreChange(StoreChangeKind.Catalog), await NextAsync());
    }

    private async Task<StoreChange> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        return await _seenByB.Reader.ReadAsync(timeout.Token);
    }
}
