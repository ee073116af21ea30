using Backcall.Core.Authorizations;
using Backcall.Core.Calls;

namespace Backcall.Server.Web.Demo;

/// <summary>
/// Wakes the demo's status streams whenever an authorization may have changed: a confirmation, any call
/// (a wrong caller leaves a hint on the pending authorization) or an expiry sweep. Waiters re-read the
/// state themselves, so one shared pulse is enough; the demo has few watchers at a time.
/// </summary>
public sealed class AuthorizationPulse : IDisposable
{
    private readonly CallService _calls;
    private readonly ExpiryService _expiry;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AuthorizationPulse(CallService calls, ExpiryService expiry)
    {
        _calls = calls;
        _expiry = expiry;
        _calls.Confirmed += OnConfirmed;
        _calls.Received += OnReceived;
        _expiry.Expired += OnExpired;
    }

    /// <summary>Completes at the next change. Take it before reading the state, so no change slips between.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Dispose()
    {
        _calls.Confirmed -= OnConfirmed;
        _calls.Received -= OnReceived;
        _expiry.Expired -= OnExpired;
        Signal();
    }

    private void OnConfirmed(Authorization a) => Signal();

    private void OnReceived(IncomingCall call, CallResult result) => Signal();

    private void OnExpired(Authorization a) => Signal();

    private void Signal() =>
        Interlocked
            .Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult();
}
