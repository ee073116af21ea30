using System.Collections.Concurrent;

namespace Backcall.Sip.Tests.Support;

/// <summary>Records every call; answers synchronously, or waits for the test to release it.</summary>
internal sealed class TestInviteHandler : IInviteHandler
{
    private readonly ConcurrentQueue<InviteRequest> _calls = new();
    private TaskCompletionSource<SipRejectDecision>? _pending;

    public Func<InviteRequest, SipRejectDecision> Decide { get; set; } = _ => SipRejectDecision.Default;

    /// <summary>When true, calls wait until <see cref="Release"/>.</summary>
    public bool Hold { get; set; }

    public Exception? Throw { get; set; }

    public IReadOnlyList<InviteRequest> Calls => [.. _calls];

    public CancellationToken LastToken { get; private set; }

    public void Release(SipRejectDecision decision) => _pending!.TrySetResult(decision);

    public ValueTask<SipRejectDecision> HandleInviteAsync(InviteRequest invite, CancellationToken cancellationToken)
    {
        _calls.Enqueue(invite);
        LastToken = cancellationToken;
        if (Throw is not null)
        {
            throw Throw;
        }

        if (!Hold)
        {
            return ValueTask.FromResult(Decide(invite));
        }

        _pending = new TaskCompletionSource<SipRejectDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new ValueTask<SipRejectDecision>(_pending.Task);
    }
}
