namespace Backcall.Testing;

/// <summary>
/// Waits for what happens after the step that caused it: a process's log lines are written by a background
/// logger and read from a pipe, so they can arrive after the answer that the same event produced.
/// </summary>
public static class Wait
{
    /// <summary>How long a functional test waits for a consequence (long enough for a loaded machine).</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; false if it still does not after the wait.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Within);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return condition();
            }

            await Task.Delay(20);
        }

        return true;
    }
}
