namespace Backcall.Sip;

/// <summary>Outcome of <see cref="SipCallClient.CallAsync"/>.</summary>
public sealed record SipCallResult
{
    /// <summary>Final status code received, or 408 when no final response came before Timer B (64·T1).</summary>
    public required int StatusCode { get; init; }

    /// <summary>Reason phrase of the final response ("Request Timeout" when timed out).</summary>
    public required string ReasonPhrase { get; init; }

    /// <summary>Call-ID of the INVITE.</summary>
    public required string CallId { get; init; }

    /// <summary>True when no final response arrived in time (the status is then a synthesised 408).</summary>
    public required bool TimedOut { get; init; }

    /// <summary>Whether a 1xx (e.g. 100 Trying) arrived before the final response.</summary>
    public required bool ReceivedProvisional { get; init; }

    /// <summary>How many times the INVITE was sent (1 plus Timer A retransmissions on UDP).</summary>
    public required int InviteTransmissions { get; init; }

    /// <summary>To tag of the final response, if any.</summary>
    public string? ToTag { get; init; }

    /// <summary>Time from the first INVITE to the final response.</summary>
    public required TimeSpan Elapsed { get; init; }
}
