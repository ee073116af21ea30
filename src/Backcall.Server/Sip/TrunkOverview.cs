using Backcall.Sip;

namespace Backcall.Server.Sip;

/// <summary>A configured IP-authenticated trunk, as the admin API and the CLI show it.</summary>
public sealed record ConfiguredTrunk(
    string Name,
    IReadOnlyList<string> Sources,
    string Region,
    bool TrustPai,
    string CalledFrom,
    string? ForwardedSourceHeader);

/// <summary>
/// Every way calls come in: the IP-authenticated trunks (<c>Sip:Trunks</c>) and the registrations
/// (<c>Sip:Registrations</c>) with their live state. Shown by <c>GET /api/admin/trunks</c>,
/// <c>backcall trunk list</c> and the console.
/// </summary>
public sealed record TrunkOverview(
    IReadOnlyList<ConfiguredTrunk> Trunks,
    IReadOnlyList<RegistrationStatus> Registrations)
{
    /// <summary>
    /// The configuration with the state of each registration from <paramref name="live"/> (by name); a
    /// registration without one is shown as configured, in <paramref name="unknownState"/>.
    /// </summary>
    public static TrunkOverview From(
        SipOptions options,
        IReadOnlyList<RegistrationStatus> live,
        RegistrationState unknownState = RegistrationState.Starting)
    {
        var trunks = options
            .Trunks.Select(t => new ConfiguredTrunk(
                t.Name,
                t.Sources,
                t.Region,
                t.TrustPai,
                t.CalledFrom.ToString(),
                t.ForwardedSourceHeader))
            .ToList();
        var registrations = options
            .Registrations.Select(r =>
                live.FirstOrDefault(s => s.Name == r.Name)
                ?? new RegistrationStatus
                {
                    Name = r.Name,
                    Registrar = r.Registrar,
                    Transport = r.Transport.ToLowerInvariant(),
                    Username = r.Username,
                    Number = r.Number,
                    State = unknownState,
                })
            .ToList();
        return new TrunkOverview(trunks, registrations);
    }
}
