namespace Backcall.Server.Web.Demo;

/// <summary>The live demo at <c>/</c> (configuration section <c>Demo</c>): on in development, off in production.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Serves the demo and its endpoints, with a token of its own and a "simulate the call" button.</summary>
    public bool Enabled { get; set; }

    /// <summary>Added to the pool when demo mode starts with no enabled number, so the demo works at once.</summary>
    public string Number { get; set; } = "+79640000001";

    /// <summary>The caller of "a call from another phone", to show what the user sees then.</summary>
    public string OtherPhone { get; set; } = "+79990000000";
}
