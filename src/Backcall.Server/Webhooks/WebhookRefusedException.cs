namespace Backcall.Server.Webhooks;

/// <summary>A webhook destination the guard does not allow (or cannot find); the message says why.</summary>
public sealed class WebhookRefusedException : Exception
{
    public WebhookRefusedException()
    {
    }

    public WebhookRefusedException(string message)
        : base(message)
    {
    }

    public WebhookRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WebhookRefusedException(string message, bool permanent)
        : base(message) => Permanent = permanent;

    /// <summary>Retrying cannot help (the name itself is refused, not what it resolves to now).</summary>
    public bool Permanent { get; }
}
