using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Catalog;
using Backcall.Core.Phones;
using Backcall.Core.Pool;
using Backcall.Core.Tokens;
using Backcall.Core.Webhooks;
using Backcall.Storage.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Core.Tests;

/// <summary>The core's services wired on a real SQLite file and a fake clock.</summary>
public sealed class CoreHarness : IAsyncDisposable
{
    private readonly string _directory =
        Path.Combine(Path.GetTempPath(), "backcall-core-" + Guid.NewGuid().ToString("N"));

    public CoreHarness(AuthorizationOptions? authorizations = null, TokenOptions? tokens = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        Store = new SqliteStore(Path.Combine(_directory, "backcall.db"));
        Store.MigrateAsync().GetAwaiter().GetResult();
        var authOptions = Options.Create(
            authorizations ?? new AuthorizationOptions { PerPhoneLimit = 1000, IdentifyPoolShare = 100 });
        var tokenOptions = Options.Create(tokens ?? new TokenOptions());
        Phones = new PhoneParser("RU");
        Catalog = new CatalogCache(Store);
        Index = new AuthorizationIndex();
        Authorizations = new AuthorizationService(
            Store, Catalog, Index, new AcceptAllWebhooks(), Phones, authOptions, Time);
        Calls = new CallService(Store, Store, Index, Time);
        Expiry = new ExpiryService(Store, Store, Index, authOptions, Time);
        Tokens = new TokenAdmin(Store, Catalog, tokenOptions, Time);
        Numbers = new NumberAdmin(Store, Catalog, Phones, Time);
    }

    public FakeTimeProvider Time { get; }

    public SqliteStore Store { get; }

    public PhoneParser Phones { get; }

    public CatalogCache Catalog { get; }

    public AuthorizationIndex Index { get; }

    public AuthorizationService Authorizations { get; }

    public CallService Calls { get; }

    public ExpiryService Expiry { get; }

    public TokenAdmin Tokens { get; }

    public NumberAdmin Numbers { get; }

    public async Task<Token> TokenAsync(int? free = null, decimal? price = null, decimal? limit = null) =>
        (await Tokens.CreateAsync("test", price, limit, free)).Token;

    public Task<CallResult> CallAsync(
        string caller, string called, string? callId = null, DateTimeOffset? receivedAt = null) =>
        Calls.ReceiveAsync(new IncomingCall(
            callId ?? Guid.NewGuid().ToString("N"),
            caller == "anonymous" ? null : new E164Phone(caller),
            new E164Phone(called),
            "test",
            receivedAt));

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_directory, true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class AcceptAllWebhooks : IWebhookUrlPolicy
    {
        public ValueTask<string?> ValidateAsync(string url, CancellationToken cancellationToken) =>
            ValueTask.FromResult<string?>(null);
    }
}
