using Backcall.Server.Tests.Infrastructure;
using Backcall.Server.Tests.Sip;
using Backcall.Testing;

namespace Backcall.Server.Tests.Cluster;

/// <summary>
/// PAI trust through the shipped Kamailio configuration: the node knows Kamailio as a proxy trunk
/// (ForwardedSourceHeader = X-Backcall-Source, and TrustPai itself, which must not matter) and the carriers
/// behind it as trunks of their own. Callers are sipp processes bound to loopback aliases, all inside
/// Kamailio's CARRIER_NETS: 127.0.0.10 is a carrier trusted for PAI, 127.0.0.11 a PBX that is not,
/// 127.0.0.12 no trunk of the node's.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class KamailioTrustTests(ClusterFixture fixture)
{
    private const string CarrierIp = "127.0.0.10";
    private const string PbxIp = "127.0.0.11";
    private const string StrangerIp = "127.0.0.12";
    private static readonly string Config = Path.Combine(RepositoryPaths.Root, "deploy", "kamailio", "kamailio.cfg");

    private static readonly Dictionary<string, string> Trunks = new()
    {
        ["BACKCALL_Authorizations__PerPhoneLimit"] = "1000",
        ["BACKCALL_Sip__UntrustedPolicy"] = "Forbidden",
        ["BACKCALL_Sip__Trunks__0__Name"] = "kamailio",
        ["BACKCALL_Sip__Trunks__0__Sources__0"] = "127.0.0.1",
        ["BACKCALL_Sip__Trunks__0__TrustPai"] = "true",
        ["BACKCALL_Sip__Trunks__0__ForwardedSourceHeader"] = "X-Backcall-Source",
        ["BACKCALL_Sip__Trunks__1__Name"] = "carrier",
        ["BACKCALL_Sip__Trunks__1__Sources__0"] = CarrierIp,
        ["BACKCALL_Sip__Trunks__1__TrustPai"] = "true",
        ["BACKCALL_Sip__Trunks__2__Name"] = "office-pbx",
        ["BACKCALL_Sip__Trunks__2__Sources__0"] = PbxIp,
        ["BACKCALL_Sip__Trunks__2__TrustPai"] = "false",
    };

    [Fact]
    public async Task Pai_is_believed_through_kamailio_from_a_carrier_trusted_for_it_and_not_from_one_that_is_not()
    {
        var (_, nodes) = await fixture.StartClusterAsync(1, Trunks);
        await using var node = nodes[0];
        await node.AddNumbersAsync("+79640000001", "+79640000002", "+79640000003");
        await using var kamailio = await StartKamailioAsync(node);
        var proxy = $"127.0.0.1:{kamailio.Port}";
        var verification = await Verification.CreateAsync(node);
        var other = Verification.NewPhone();

        // The PBX asserts the user's number, From says someone else: Kamailio (a trunk trusted for PAI on its
        // own) passes it on, but the PBX may not assert, so this is a call from "other".
        var fromPbx = Sipp(proxy, PbxIp, caller: other, pai: verification.Phone, verification.AuthPhone);
        await SippRunner.RunOkAsync("uac-pai.xml", fromPbx);
        var check = await verification.CheckAsync();
        Assert.True(check["status"]!.GetValue<string>() == "pending", check.ToJsonString());
        Assert.EndsWith(other[^4..], check["other_caller"]!.GetValue<string>(), StringComparison.Ordinal);

        // The same INVITE from the carrier: its PAI is the caller.
        var fromCarrier = Sipp(proxy, CarrierIp, caller: other, pai: verification.Phone, verification.AuthPhone);
        await SippRunner.RunOkAsync("uac-pai.xml", fromCarrier);
        await verification.AssertConfirmedAsync();

        var row = Assert.Single(await Verification.CallLogAsync(node, Verification.E164(verification.Phone)));
        Assert.Equal(fromCarrier.CallId(), row!["call_id"]!.GetValue<string>());
        var source = row["source"]!.GetValue<string>();
        Assert.StartsWith($"sip:udp:{CarrierIp}:", source, StringComparison.Ordinal);
        Assert.Contains("via=kamailio(udp:127.0.0.1:", source, StringComparison.Ordinal);
        Assert.Contains("trunk=carrier id=PAssertedIdentity", source, StringComparison.Ordinal);
        var pbxRow = Assert.Single(await Verification.CallLogAsync(node, Verification.E164(other)));
        Assert.Contains("trunk=office-pbx id=From", pbxRow!["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_kamailio_admits_but_no_trunk_of_the_node_lists_is_refused_and_confirms_nothing()
    {
        var (_, nodes) = await fixture.StartClusterAsync(1, Trunks);
        await using var node = nodes[0];
        await node.AddNumbersAsync("+79640000001");
        await using var kamailio = await StartKamailioAsync(node);
        var verification = await Verification.CreateAsync(node);

        // UntrustedPolicy = Forbidden on the node: the 403 goes back through Kamailio (only 5xx fails over).
        var options = Sipp(
            $"127.0.0.1:{kamailio.Port}",
            StrangerIp,
            caller: verification.Phone,
            pai: verification.Phone,
            verification.AuthPhone);
        await SippRunner.RunOkAsync("uac-forbidden.xml", options);

        await verification.AssertPendingAsync();
        Assert.Empty(await Verification.CallLogAsync(node, Verification.E164(verification.Phone), atLeast: 0));
        Assert.True(
            await node.WaitForOutputAsync(l => l.Contains("outside every trunk", StringComparison.Ordinal)
                && l.Contains(StrangerIp, StringComparison.Ordinal)),
            string.Join('\n', node.Output));
    }

    /// <summary>
    /// Kamailio in front of <paramref name="node"/>, admitting every loopback source as a carrier. These tests are
    /// about trust, not failover: the node gets 10 s to answer instead of the shipped second, which a loaded CI
    /// machine once exceeded (Kamailio answered 408 to the first call).
    /// </summary>
    private static Task<KamailioInstance> StartKamailioAsync(BackcallProcess node) =>
        KamailioInstance.StartAsync(
            Config,
            $"1 sip:{node.Announced["sip udp"]}\n",
            new Dictionary<string, string>
            {
                ["CARRIER_NETS"] = "\"127.0.0.0/8\"",
                ["NODE_TIMEOUT"] = "10000",
                ["WORKERS"] = "1",
            });

    private static SippOptions Sipp(string proxy, string localIp, string caller, string pai, string called) =>
        new(SipTransportKind.Udp, proxy)
        {
            LocalIp = localIp,
            Keys = new Dictionary<string, string> { ["caller"] = caller, ["pai"] = pai, ["called"] = called },
        };
}
