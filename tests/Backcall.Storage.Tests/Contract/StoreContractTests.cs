using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;
using Backcall.Core.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="IBackcallStore"/> must do, run against each implementation by a subclass. Races
/// use two store objects on one database (<see cref="OpenAnotherNode"/>), as two nodes would.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    protected static readonly E164Phone N1 = new("+79640000001");
    protected static readonly E164Phone N2 = new("+79640000002");
    protected static readonly E164Phone P1 = new("+79001234567");
    protected static readonly E164Phone P2 = new("+79007654321");

    private readonly List<IBackcallStore> _opened = [];
    private int _keys;

    protected IBackcallStore Store { get; private set; } = null!;

    /// <summary>A store on a new, empty database (not yet migrated).</summary>
    protected abstract Task<IBackcallStore> CreateStoreAsync();

    /// <summary>A second store on the same database, as another node would open it.</summary>
    protected abstract IBackcallStore OpenAnotherNode();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        _opened.Add(Store);
        await Store.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            CheckBeforeClosing(store);
            await store.DisposeAsync();
        }
    }

    /// <summary>What an implementation checks of a store after every test, before it is closed.</summary>
    protected virtual void CheckBeforeClosing(IBackcallStore store)
    {
    }

    protected IBackcallStore AnotherNode()
    {
        var store = OpenAnotherNode();
        _opened.Add(store);
        return store;
    }

    protected Task<Token> TokenAsync(
        int free = 50, decimal price = 1m, decimal limit = 0m, bool notifyExpired = false) =>
        Store.CreateTokenAsync(new NewToken(
            "test",
            "hash-" + Guid.NewGuid().ToString("N"),
            "bc_test",
            "whsec_" + Guid.NewGuid().ToString("N"),
            price,
            limit,
            free,
            notifyExpired,
            T0));

    protected NewAuthorization Request(
        Token token,
        E164Phone number,
        E164Phone? phone,
        DateTimeOffset? at = null,
        string? webhook = null,
        bool notifyExpired = false,
        TimeSpan? lifetime = null)
    {
        var now = at ?? T0;
        return new NewAuthorization(
            token.Id,
            phone,
            number,
            $"qr-{Interlocked.Increment(ref _keys)}-{Guid.NewGuid():N}",
            now,
            now + (lifetime ?? Lifetime),
            webhook,
            notifyExpired);
    }

    protected async Task<Authorization> CreateAsync(
        Token token,
        E164Phone number,
        E164Phone? phone,
        DateTimeOffset? at = null,
        string? webhook = null,
        bool notifyExpired = false,
        TimeSpan? lifetime = null,
        IBackcallStore? store = null)
    {
        var result = await (store ?? Store).CreateAuthorizationAsync(
            Request(token, number, phone, at, webhook, notifyExpired, lifetime));
        Assert.Equal(CreateAuthorizationError.None, result.Error);
        return result.Authorization!;
    }

    /// <summary>What the core decides for a call of <paramref name="a"/>'s user at <paramref name="at"/>.</summary>
    protected static CallDecision Matched(Authorization a, DateTimeOffset at, string? callId = null) =>
        CallRules.ForMatch(Call(a.UserPhone, a.AuthNumber, callId), a.UserPhone!.Value, a, at);

    /// <summary>
    /// <see cref="Matched"/> with the confirmation's webhook queued already claimed under
    /// <paramref name="lease"/>, as the node that confirms asks when its sender has room.
    /// </summary>
    protected static CallDecision MatchedWithLease(Authorization a, DateTimeOffset at, DeliveryLease lease)
    {
        var decision = Matched(a, at, "call-1");
        var confirm = decision.Confirm!;
        return decision with { Confirm = confirm with { Webhook = confirm.Webhook! with { Lease = lease } } };
    }

    /// <summary>A decision that confirms nothing, as the core makes for anonymous or unmatched calls.</summary>
    protected static CallDecision Unmatched(IncomingCall call, DateTimeOffset at, CallOutcome outcome) =>
        new(call, at, outcome, null, null, [], null);

    /// <summary>
    /// The call received at <paramref name="at"/>, judged by the core's <see cref="CallService"/> on a node
    /// over <paramref name="store"/> that knows the working set, or nothing at all when
    /// <paramref name="knowsNothing"/> (a node that has not heard of the latest authorizations yet).
    /// </summary>
    protected async Task<CallResult> ReceiveAsync(
        IncomingCall call, DateTimeOffset at, IBackcallStore? store = null, bool knowsNothing = false)
    {
        store ??= Store;
        var index = new AuthorizationIndex();
        if (!knowsNothing)
        {
            foreach (var a in await store.LoadWorkingSetAsync(at.AddHours(-1)))
            {
                index.Upsert(a);
            }
        }

        return await new CallService(store, store, index, new FakeTimeProvider(at))
            .ReceiveAsync(call with { ReceivedAt = at });
    }

    /// <summary>
    /// One sweep of the core's <see cref="ExpiryService"/> at <paramref name="now"/> on a node over
    /// <paramref name="store"/>.
    /// </summary>
    protected async Task<IReadOnlyList<Authorization>> SweepAsync(
        DateTimeOffset now, IBackcallStore? store = null, TimeSpan? noticeDelay = null)
    {
        store ??= Store;
        var options = Options.Create(new AuthorizationOptions { ExpiryNoticeDelay = noticeDelay ?? TimeSpan.Zero });
        var expiry = new ExpiryService(store, store, new AuthorizationIndex(), options, new FakeTimeProvider(now));
        var expired = new List<Authorization>();
        expiry.Expired += expired.Add;
        await expiry.LoadWorkingSetAsync();
        await expiry.SweepAsync();
        return expired;
    }

    protected static IncomingCall Call(E164Phone? caller, E164Phone called, string? callId = null) =>
        new(callId ?? "call-" + Guid.NewGuid().ToString("N"), caller, called, "test");

    protected static async Task<T[]> RaceAsync<T>(params Func<Task<T>>[] actions)
    {
        // Start together: each waits on the same gate so neither runs far ahead of the other.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = actions.Select(a => Task.Run(async () =>
        {
            await gate.Task;
            return await a();
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }
}
