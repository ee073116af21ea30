namespace Backcall.Sip;

/// <summary>Where a registration stands.</summary>
public enum RegistrationState
{
    /// <summary>No answer from the registrar yet.</summary>
    Starting,

    /// <summary>The registrar accepted our Contact until <see cref="RegistrationStatus.RegisteredUntil"/>.</summary>
    Registered,

    /// <summary>
    /// The last attempt failed; see <see cref="RegistrationStatus.LastStatus"/> and
    /// <see cref="RegistrationStatus.LastReason"/>.
    /// </summary>
    Failing,

    /// <summary>Shut down (unregistered with Expires: 0).</summary>
    Stopped,
}

/// <summary>A snapshot of one outbound registration, for the admin API, the console, the CLI and metrics.</summary>
public sealed record RegistrationStatus
{
    public required string Name { get; init; }

    /// <summary>The registrar as configured.</summary>
    public required string Registrar { get; init; }

    public required string Transport { get; init; }

    public required string Username { get; init; }

    /// <summary>The pool number the account delivers.</summary>
    public required string Number { get; init; }

    public RegistrationState State { get; init; }

    /// <summary>When the current binding runs out (Registered only).</summary>
    public DateTimeOffset? RegisteredUntil { get; init; }

    /// <summary>The last successful registration or refresh.</summary>
    public DateTimeOffset? LastRegistered { get; init; }

    /// <summary>Status code of the last failure (408 for no answer, 0 for no network path); null when none.</summary>
    public int? LastStatus { get; init; }

    /// <summary>Why the last attempt failed, in words; null when it succeeded.</summary>
    public string? LastReason { get; init; }

    /// <summary>When the next REGISTER (refresh or retry) goes out.</summary>
    public DateTimeOffset? NextAttempt { get; init; }

    /// <summary>The registrar address in use, e.g. <c>udp:192.0.2.10:5060</c>.</summary>
    public string? RegistrarAddress { get; init; }

    /// <summary>Failed attempts since the last success.</summary>
    public int ConsecutiveFailures { get; init; }
}
