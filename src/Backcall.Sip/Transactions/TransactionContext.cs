using Backcall.Sip.Diagnostics;
using Backcall.Sip.Processing;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Transactions;

/// <summary>What every transaction of one server needs: timers, clock, responses, counters, table.</summary>
internal sealed class TransactionContext(
    SipOptions options,
    DueTimeScheduler scheduler,
    TimeProvider time,
    ResponseBuilder responses,
    SipMetrics metrics,
    ILogger logger)
{
    public TransactionTable Table { get; } = new(time);

    public DueTimeScheduler Scheduler { get; } = scheduler;

    public TimeProvider Time { get; } = time;

    public ResponseBuilder Responses { get; } = responses;

    public SipMetrics Metrics { get; } = metrics;

    public ILogger Logger { get; } = logger;

    public TimeSpan T1 { get; } = options.T1;

    public TimeSpan T2 { get; } = options.T2;

    public TimeSpan T4 { get; } = options.T4;

    /// <summary>Timers H and J: 64·T1.</summary>
    public TimeSpan TimeoutInterval => T1 * 64;

    public TimeSpan TryingDelay { get; } = options.TryingDelay;

    public TimeSpan DecisionTimeout { get; } = options.DecisionTimeout;

    public int DefaultRejectCode { get; } = options.RejectCode;
}
