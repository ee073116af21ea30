namespace Backcall.Core.Calls;

/// <summary>
/// What the way in saw of a call forwarded to the pool number: the caller dialled another number, which forwarded
/// the call here (SIP Diversion or History-Info, or a PBX's <c>redirected_from</c>). The caller ID is still the
/// caller's, so whoever forwards a number of theirs to a pool number could make its callers verify for them.
/// </summary>
/// <param name="From">The number that forwarded the call (E.164 when it reads as a phone), or <see cref="Unknown"/>.
/// </param>
/// <param name="Allowed">Whether the way in accepts forwarded calls as proof (a trunk's <c>AllowRedirected</c>).
/// </param>
public sealed record CallRedirection(string From, bool Allowed)
{
    /// <summary>The forwarding number when the headers hide it or name none.</summary>
    public const string Unknown = "unknown";
}
