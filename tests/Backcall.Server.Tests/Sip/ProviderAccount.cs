using System.Text.Json.Nodes;
using Backcall.Server.Tests.Infrastructure;
using Backcall.Testing;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// A provider account as its cabinet shows it (server, login, password, number), the Backcall settings that
/// register with it (password in an owner-only file), and the provider's registrar: a real Kamailio.
/// </summary>
public sealed class ProviderAccount : IDisposable
{
    public const string Login = "700100";
    public const string Number = "+79645550001";
    private static readonly string Config =
        Path.Combine(AppContext.BaseDirectory, "Sip", "Registrar", "provider-registrar.cfg");
    private readonly TempDirectory _secrets = new("backcall-provider");

    public ProviderAccount(string password = "s3cret-Pa55")
    {
        PasswordFile = Path.Combine(_secrets.Path, "provider.password");
        File.WriteAllText(PasswordFile, password + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public string PasswordFile { get; }

    /// <summary>
    /// Starts the provider's registrar knowing the account with <paramref name="password"/>; with
    /// <paramref name="tls"/> (its certificate chain and key, PEM) it also listens for SIP over TLS.
    /// </summary>
    public static Task<KamailioInstance> StartRegistrarAsync(
        string password = "s3cret-Pa55", string algorithm = "MD5", (string Certificate, string Key)? tls = null) =>
        KamailioInstance.StartAsync(
            Config,
            "",
            new Dictionary<string, string>
            {
                ["ACCOUNT"] = $"\"{Login}\"",
                ["PASSWORD"] = $"\"{password}\"",
                ["NUMBER"] = $"\"{Number[1..]}\"",
                ["ALGORITHM"] = $"\"{algorithm}\"",
            },
            tls);

    /// <summary>
    /// Backcall's environment for one registration with <paramref name="registrar"/> (no IP trunk at all).
    /// </summary>
    public Dictionary<string, string> Settings(
        string registrar, string transport, int expires = 300, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["BACKCALL_Sip__UntrustedPolicy"] = "Forbidden",
            ["BACKCALL_Sip__Registrations__0__Name"] = "provider",
            ["BACKCALL_Sip__Registrations__0__Registrar"] = registrar,
            ["BACKCALL_Sip__Registrations__0__Transport"] = transport,
            ["BACKCALL_Sip__Registrations__0__Username"] = Login,
            ["BACKCALL_Sip__Registrations__0__PasswordFile"] = PasswordFile,
            ["BACKCALL_Sip__Registrations__0__Number"] = Number,
            ["BACKCALL_Sip__Registrations__0__Expires"] =
                expires.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BACKCALL_Sip__Registrations__0__RetryInterval"] = "00:00:01",
            ["BACKCALL_Sip__Registrations__0__ForbiddenRetryInterval"] = "00:00:02",
        };
        foreach (var (key, value) in extra)
        {
            settings["BACKCALL_Sip__Registrations__0__" + key] = value;
        }

        return settings;
    }

    /// <summary>
    /// A caller (sipp, from 127.0.0.3) dialling the account's number through the provider's registrar.
    /// </summary>
    public static SippOptions CallThrough(
        int registrarPort, string caller, SipTransportKind transport = SipTransportKind.Udp) =>
        new(transport, $"127.0.0.1:{registrarPort}")
        {
            Keys = new Dictionary<string, string> { ["caller"] = caller, ["called"] = Number[1..] },
            LocalIp = "127.0.0.3",
        };

    /// <summary>The registration as <c>GET /api/admin/trunks</c> shows it.</summary>
    public static async Task<JsonNode> StatusAsync(BackcallProcess server)
    {
        using var admin = server.CreateAdminClient();
        var overview = JsonNode.Parse(await admin.GetStringAsync("api/admin/trunks"))!;
        return overview["registrations"]!.AsArray().Single()!;
    }

    /// <summary>Waits (30 s at most) until the registration's state satisfies <paramref name="done"/>.</summary>
    public static async Task<JsonNode> WaitForAsync(BackcallProcess server, Func<JsonNode, bool> done, string what)
    {
        JsonNode status = new JsonObject();
        if (await Wait.UntilAsync(async () => done(status = await StatusAsync(server))))
        {
            return status;
        }

        throw new Xunit.Sdk.XunitException(
            $"registration never {what}: {status.ToJsonString()}\n{string.Join('\n', server.Output.TakeLast(40))}");
    }

    public static bool IsRegistered(JsonNode status) => status["state"]!.GetValue<string>() == "registered";

    public void Dispose() => _secrets.Dispose();
}
