namespace Backcall.Server.Web.Demo;

/// <summary>
/// The live demo at <c>/</c> (configuration section <c>Demo</c>): on in development, off in production.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Serves the demo and its endpoints, with a token of its own and a "simulate the call" button.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Lets <see cref="Enabled"/> run outside the Development environment. Without it the server refuses to start
    /// there: the demo hands out pool numbers and places calls for anyone who can reach the page.
    /// </summary>
    public bool AllowInProduction { get; set; }

    /// <summary>Requests to the demo endpoints one client address may make per minute; more are answered 429.</summary>
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>Added to the pool when demo mode starts with no enabled number, so the demo works at once.</summary>
    public string Number { get; set; } = "+79640000001";

    /// <summary>The caller of "a call from another phone", to show what the user sees then.</summary>
    public string OtherPhone { get; set; } = "+79990000000";
}
