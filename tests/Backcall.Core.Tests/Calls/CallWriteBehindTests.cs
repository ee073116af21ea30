using Backcall.Core.Authorizations;
using Backcall.Core.Calls;
using Backcall.Core.Phones;
using Backcall.Core.Storage;

namespace Backcall.Core.Tests.Calls;

/// <summary>
/// <see cref="CallLogWrite.BehindUnlessConfirming"/> (the SIP path): only a confirmation waits for its write;
/// every other call is answered at once and its call-log row follows. The store's writes are held by a gate,
/// so "answered before the write" is shown by the write still being held, not by timing.
/// </summary>
public sealed class CallWriteBehindTests
{
    private const string Number = "+79640000001";
    private const string User = "+79001234567";
    private const string Stranger = "+79007654321";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_call_that_confirms_nothing_is_answered_before_its_row_is_written()
    {
        await using var h = new CoreHarness();
        var a = await PendingAsync(h);
        var gate = new GatedCallLog(h.Store);
        var calls = new CallService(gate, h.Store, h.Index, h.Time);

        var result = await calls.ReceiveAsync(Call(Stranger, "stranger-1"), CallLogWrite.BehindUnlessConfirming)
            .WaitAsync(Bound);

        Assert.Equal(new CallResult(CallOutcome.WrongCaller, null), result);
        Assert.Equal(1, gate.Held);
        Assert.Empty(await h.Store.ListCallsAsync(new CallQuery()));
        Assert.True(h.Index.TryGet(a.Id, out var hinted)); // the app's next check already sees the hint
        Assert.Equal("+7******4321", hinted.OtherCaller);

        gate.Open();
        await gate.Written.WaitAsync(Bound);
        var row = Assert.Single(await h.Store.ListCallsAsync(new CallQuery()));
        Assert.Equal((CallOutcome.WrongCaller, "stranger-1"), (row.Outcome, row.CallId));
        Assert.Equal("+7******4321", (await h.Store.GetAuthorizationAsync(a.Id))!.OtherCaller);
    }

    [Fact]
    public async Task A_confirmation_is_durable_before_it_is_answered()
    {
        await using var h = new CoreHarness();
        var a = await PendingAsync(h);
        var gate = new GatedCallLog(h.Store);
        var calls = new CallService(gate, h.Store, h.Index, h.Time);

        var pending = calls.ReceiveAsync(Call(User, "user-1"), CallLogWrite.BehindUnlessConfirming);
        await gate.Arrived.WaitAsync(Bound);
        Assert.False(pending.IsCompleted);

        gate.Open();
        Assert.Equal(new CallResult(CallOutcome.Matched, a.Id), await pending.WaitAsync(Bound));
        Assert.Equal(AuthorizationStatus.Ok, (await h.Store.GetAuthorizationAsync(a.Id))!.Status);
    }

    [Fact]
    public async Task A_failed_write_behind_is_reported()
    {
        await using var h = new CoreHarness();
        await PendingAsync(h);
        var gate = new GatedCallLog(h.Store) { Failure = new InvalidOperationException("disk full") };
        var calls = new CallService(gate, h.Store, h.Index, h.Time);
        var failed = new TaskCompletionSource<(string, Exception)>(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.WriteBehindFailed += (call, ex) => failed.TrySetResult((call.CallId, ex));

        await calls.ReceiveAsync(Call(Stranger, "stranger-2"), CallLogWrite.BehindUnlessConfirming).WaitAsync(Bound);
        gate.Open();

        var (callId, error) = await failed.Task.WaitAsync(Bound);
        Assert.Equal("stranger-2", callId);
        Assert.Equal("disk full", error.Message);
    }

    private static async Task<Authorization> PendingAsync(CoreHarness h)
    {
        await h.Numbers.AddAsync(Number);
        return (await h.Authorizations.CreateAsync(await h.TokenAsync(), User, null, false, default)).Authorization!;
    }

    private static IncomingCall Call(string caller, string callId) =>
        new(callId, new E164Phone(caller), new E164Phone(Number), "test");

    /// <summary>Holds every call-log write until <see cref="Open"/>, then passes it on (or fails it).</summary>
    private sealed class GatedCallLog(ICallLogStore inner) : ICallLogStore
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public Exception? Failure { get; init; }

        public int Held => Volatile.Read(ref _held);

        public Task Arrived => _arrived.Task;

        public Task Written => _written.Task;

        public void Open() => _open.TrySetResult();

        public async Task<CallRecordResult> RecordCallAsync(
            CallDecision decision, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _held);
            _arrived.TrySetResult();
            await _open.Task.ConfigureAwait(false);
            if (Failure is not null)
            {
                throw Failure;
            }

            var result = await inner.RecordCallAsync(decision, cancellationToken).ConfigureAwait(false);
            _written.TrySetResult();
            return result;
        }

        public Task<IReadOnlyList<CallLogEntry>> ListCallsAsync(
            CallQuery query, CancellationToken cancellationToken = default) =>
            inner.ListCallsAsync(query, cancellationToken);
    }
}
