using System.Net;
using Backcall.Sip.Dns;
using Backcall.Sip.Message;
using Backcall.Sip.Tls;
using Microsoft.Extensions.Logging;

namespace Backcall.Sip.Registration;

/// <summary>
/// The server's registrations: runs them, routes registrar responses to them by Call-ID, and tells which
/// requests are calls over a registration (the line token in the Request-URI AND a provider source address).
/// </summary>
internal sealed class RegistrationSet
{
    /// <summary>How long shutdown waits for the registrar to confirm Expires: 0.</summary>
    private static readonly TimeSpan UnregisterTimeout = TimeSpan.FromSeconds(4);

    private readonly Dictionary<string, OutboundRegistration> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OutboundRegistration> _byCallId = new(StringComparer.Ordinal);
    private readonly List<Task> _running = [];

    public RegistrationSet(IReadOnlyList<OutboundRegistration> registrations)
    {
        All = registrations;
        foreach (var registration in registrations)
        {
            _byToken[registration.LineToken] = registration;
            _byCallId[registration.CallId] = registration;
        }
    }

    public static RegistrationSet Empty { get; } = new([]);

    public IReadOnlyList<OutboundRegistration> All { get; }

    /// <summary>Builds the configured registrations on real DNS and sockets.</summary>
    public static RegistrationSet FromOptions(
        SipOptions options,
        SipDnsResolver dns,
        HostSourceWatcher hosts,
        RegistrarLinks links,
        TimeProvider time,
        ILogger logger)
    {
        var list = new List<OutboundRegistration>();
        foreach (var r in options.Registrations)
        {
            var registrar =
                RegistrarAddress.TryParse(r.Registrar, r.Transport, out var error)
                ?? throw new ArgumentException(error);
            var trust = string.IsNullOrWhiteSpace(r.CaFile) ? null : TlsTrust.FromCaFile(r.CaFile);
            list.Add(
                new OutboundRegistration(
                    r,
                    RegistrationValidation.ReadPassword(r),
                    ct => dns.ResolveServerAsync(registrar.Host, registrar.Port, registrar.Transport, ct),
                    (transport, target, ct) => links.OpenAsync(transport, target, registrar.Host, trust, ct),
                    hosts.Addresses,
                    time,
                    options,
                    logger));
        }

        return new RegistrationSet(list);
    }

    /// <summary>Whether <paramref name="address"/> may be a provider's (so its packets are worth parsing).</summary>
    public bool IsSource(IPAddress address)
    {
        foreach (var registration in All)
        {
            if (registration.IsSource(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The registration trunk a request belongs to: its line token names one whose provider sent it.</summary>
    public SipTrunk? Match(SipRequest request, IPAddress address)
    {
        if (All.Count == 0 || request.RequestUri?.Parameters.Get("line") is not { } token
            || !_byToken.TryGetValue(token, out var registration))
        {
            return null;
        }

        return registration.IsSource(address) ? registration.Trunk : null;
    }

    public void OnResponse(SipResponse response, IPAddress source)
    {
        if (response.CallId is { } callId && _byCallId.TryGetValue(callId, out var registration))
        {
            registration.OnResponse(response, source);
        }
    }

    public void Start(CancellationToken stopping)
    {
        foreach (var registration in All)
        {
            _running.Add(Task.Run(() => registration.RunAsync(UnregisterTimeout, stopping), CancellationToken.None));
        }
    }

    /// <summary>Waits for every registration to finish unregistering (after the stopping token fired).</summary>
    public Task StoppedAsync() => Task.WhenAll(_running);
}
