using System.Runtime.CompilerServices;
using Backcall.Sip.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Transactions;

public class DueTimeSchedulerTests
{
    [Fact]
    public void A_cancelled_timer_lets_go_of_its_state_long_before_its_due_time()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DueTimeScheduler(time);
        var (timer, state) = ScheduleOnce(scheduler);

        timer.Cancel();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Timer H's entry stays queued for 32 s; what it would have called must not live that long.
        Assert.False(state.IsAlive);
        Assert.Equal(1, scheduler.Pending);
        time.Advance(TimeSpan.FromSeconds(33));
        Assert.Equal(0, scheduler.Pending);
    }

    [Fact]
    public void A_timer_fires_once_and_not_after_it_is_cancelled()
    {
        var time = new FakeTimeProvider();
        using var scheduler = new DueTimeScheduler(time);
        var fired = new List<string>();
        scheduler.Schedule(TimeSpan.FromSeconds(1), s => fired.Add((string)s), "kept");
        scheduler.Schedule(TimeSpan.FromSeconds(1), s => fired.Add((string)s), "cancelled").Cancel();

        time.Advance(TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["kept"], fired);
    }

    // Not inlined, so no local of the test method keeps the state alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (ScheduledTimer Timer, WeakReference State) ScheduleOnce(DueTimeScheduler scheduler)
    {
        var state = new object();
        var timer = scheduler.Schedule(TimeSpan.FromSeconds(32), static _ => { }, state);
        return (timer, new WeakReference(state));
    }
}
