using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// One real server with three trunks, as an operator would configure a carrier and office PBXs:
/// <c>carrier</c> = 127.0.0.1 (PAI trusted), <c>office-pbx</c> = 127.0.0.3 (PAI not trusted),
/// <c>forwarding-pbx</c> = 127.0.0.4 (redirected calls allowed). Any other source (127.0.0.2) is outside
/// every trunk and dropped. Tests isolate themselves by phone and token.
/// </summary>
public class SipServerFixture : IAsyncLifetime
{
    public const string CarrierIp = "127.0.0.1";
    public const string PbxIp = "127.0.0.3";
    public const string UntrustedIp = "127.0.0.2";
    public const string ForwardingPbxIp = "127.0.0.4";

    public BackcallProcess Server { get; private set; } = null!;

    public string Udp => Server.Announced["sip udp"];

    public string Tcp => Server.Announced["sip tcp"];

    public string Endpoint(SipTransportKind transport) => transport == SipTransportKind.Udp ? Udp : Tcp;

    protected virtual IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["BACKCALL_Authorizations__PerPhoneLimit"] = "1000",
        ["BACKCALL_Sip__Trunks__0__Name"] = "carrier",
        ["BACKCALL_Sip__Trunks__0__Sources__0"] = CarrierIp + "/32",
        ["BACKCALL_Sip__Trunks__0__TrustPai"] = "true",
        ["BACKCALL_Sip__Trunks__1__Name"] = "office-pbx",
        ["BACKCALL_Sip__Trunks__1__Sources__0"] = PbxIp + "/32",
        ["BACKCALL_Sip__Trunks__1__TrustPai"] = "false",
        ["BACKCALL_Sip__Trunks__2__Name"] = "forwarding-pbx",
        ["BACKCALL_Sip__Trunks__2__Sources__0"] = ForwardingPbxIp + "/32",
        ["BACKCALL_Sip__Trunks__2__AllowRedirected"] = "true",
    };

    public async Task InitializeAsync()
    {
        Server = await BackcallProcess.StartAsync(environment: Environment);
        await Server.AddNumbersAsync("+79640000001", "+79640000002", "+79640000003");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public SippOptions Sipp(SipTransportKind transport, params (string Key, string Value)[] keys) =>
        new(transport, Endpoint(transport)) { Keys = keys.ToDictionary(k => k.Key, k => k.Value) };
}

/// <summary>The same trunks, but sources outside them are answered 403 instead of ignored.</summary>
public sealed class ForbiddingSipServerFixture : SipServerFixture
{
    protected override IDictionary<string, string> Environment
    {
        get
        {
            var env = base.Environment;
            env["BACKCALL_Sip__UntrustedPolicy"] = "Forbidden";
            return env;
        }
    }
}
