namespace Backcall.Testing;

/// <summary>
/// Waits for what happens after the step that caused it: a process's log lines are written by a background
/// logger and read from a pipe, so they can arrive after the answer that the same event produced; a server applies
/// a change made elsewhere (by the CLI, by another node) on its next poll. One loop for all of them: it polls until
/// the consequence shows instead of sleeping a fixed time, and its bound is generous, so that a slow machine waits
/// longer instead of failing.
/// </summary>
public static class Wait
{
    /// <summary>How long a functional test waits for a consequence (long enough for a loaded machine).</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; false if it still does not after the wait.</summary>
    public static Task<bool> UntilAsync(Func<bool> condition, TimeSpan? within = null) =>
        PollAsync(() => Task.FromResult(condition()), within ?? Within, TimeSpan.FromMilliseconds(20));

    /// <summary>
    /// Polls an asynchronous <paramref name="condition"/> (one that makes a request or reads a page) until it holds;
    /// false if it still does not after the wait. What the probe saw last, when the caller needs it, goes in a local.
    /// </summary>
    /// <remarks>
    /// Ten probes a second: each is a request to the server under test, whose per-token limit (50 a second) a
    /// faster loop would come close to on a quick machine, and whose answer it would then change.
    /// </remarks>
    public static Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? within = null) =>
        PollAsync(condition, within ?? Within, TimeSpan.FromMilliseconds(100));

    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan within, TimeSpan every)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return await condition();
            }

            await Task.Delay(every);
        }

        return true;
    }
}
