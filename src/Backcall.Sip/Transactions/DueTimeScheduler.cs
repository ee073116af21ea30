namespace Backcall.Sip.Transactions;

/// <summary>
/// All transaction timers of a server in one priority queue keyed by due time, driven by a single
/// <see cref="ITimer"/> from the <see cref="TimeProvider"/> that is always re-armed for the earliest entry.
/// Cost is O(log n) per timer and nothing per idle transaction: no periodic scan. Cancellation is lazy
/// (a cancelled entry is discarded when it reaches the head), which keeps Cancel O(1).
/// </summary>
internal sealed class DueTimeScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long _origin;
    private readonly PriorityQueue<ScheduledTimer, long> _queue = new();
    private readonly Lock _lock = new();
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    public DueTimeScheduler(TimeProvider time)
    {
        _time = time;
        _origin = time.GetTimestamp();
        _timer = time.CreateTimer(
            static s => ((DueTimeScheduler)s!).OnTimer(),
            this,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
    }

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    private long Now => _time.GetElapsedTime(_origin).Ticks;

    public ScheduledTimer Schedule(TimeSpan delay, Action<object> callback, object state)
    {
        var entry = new ScheduledTimer(callback, state);
        var due = Now + Math.Max(0, delay.Ticks);
        lock (_lock)
        {
            if (_disposed)
            {
                entry.Cancel();
                return entry;
            }

            _queue.Enqueue(entry, due);
            if (due < _armedFor)
            {
                Arm(due);
            }
        }

        return entry;
    }

    private void Arm(long due)
    {
        _armedFor = due;
        _timer.Change(TimeSpan.FromTicks(Math.Max(0, due - Now)), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        // Run every due entry, one at a time and outside the lock (callbacks schedule new timers),
        // then re-arm for whatever is next.
        while (true)
        {
            ScheduledTimer? due = null;
            lock (_lock)
            {
                _armedFor = long.MaxValue;
                while (!_disposed && _queue.TryPeek(out var head, out var dueAt))
                {
                    if (head.IsCancelled)
                    {
                        _queue.Dequeue();
                        continue;
                    }

                    if (dueAt <= Now)
                    {
                        due = _queue.Dequeue();
                    }
                    else
                    {
                        Arm(dueAt);
                    }

                    break;
                }
            }

            if (due is null)
            {
                return;
            }

            due.Fire();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _queue.Clear();
        }

        _timer.Dispose();
    }
}

/// <summary>Handle of one scheduled callback.</summary>
/// <remarks>
/// Cancelling lets go of the state. A cancelled entry stays in the queue until its due time (Timer H: 64·T1, 32 s), and
/// while it held its transaction every call's transaction lived that long, through two collections into the GC's oldest
/// generation.
/// </remarks>
internal sealed class ScheduledTimer(Action<object> callback, object state)
{
    private object? _state = state;

    public bool IsCancelled => Volatile.Read(ref _state) is null;

    public void Cancel() => Volatile.Write(ref _state, null);

    internal void Fire()
    {
        // Whoever takes the state first wins: a Cancel racing this either comes first (nothing runs) or finds it gone.
        if (Interlocked.Exchange(ref _state, null) is { } taken)
        {
            callback(taken);
        }
    }
}
