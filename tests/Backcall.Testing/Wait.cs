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
        UntilAsync(() => Task.FromResult(condition()), within);

    /// <summary>
    /// Polls an asynchronous <paramref name="condition"/> (one that makes a request or reads a page) until it holds;
    /// false if it still does not after the wait. What the probe saw last, when the caller needs it, goes in a local.
    /// </summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Within);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return await condition();
            }

            await Task.Delay(20);
        }

        return true;
    }
}
