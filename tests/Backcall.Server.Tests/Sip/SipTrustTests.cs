using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// Who the server listens to and whom it believes: sources outside every trunk get nothing (Drop), and
/// P-Asserted-Identity and Remote-Party-ID count only from a trunk with TrustPai. Source addresses are
/// loopback aliases (127.0.0.1 carrier, 127.0.0.3 PBX, 127.0.0.2 nobody), so these are real packets from
/// real addresses.
/// </summary>
public sealed class SipTrustTests(SipServerFixture fixture) : IClassFixture<SipServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Fact]
    public async Task An_invite_over_udp_from_outside_every_trunk_gets_no_answer_and_confirms_nothing()
    {
        var verification = await Verification.CreateAsync(Server);
        var options = fixture.Sipp(
            SipTransportKind.Udp, ("caller", verification.Phone), ("called", verification.AuthPhone)) with
        {
            LocalIp = SipServerFixture.UntrustedIp,
        };

        // The scenario fails on any answer within 2 s; success means silence.
        var run = await SippRunner.RunOkAsync("uac-silence.xml", options);

        Assert.Equal(["INVITE"], SippScenarioTests.Flow(run));
        await verification.AssertPendingAsync();
        Assert.Empty(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone), atLeast: 0));
    }

    [Fact]
    public async Task A_tcp_connection_from_outside_every_trunk_is_closed_without_a_byte()
    {
        var verification = await Verification.CreateAsync(Server);
        using var client = new TcpClient(new IPEndPoint(IPAddress.Parse(SipServerFixture.UntrustedIp), 0));
        await client.ConnectAsync(RawSip.Parse(fixture.Tcp));
        var raw = new RawSip("tcp", (IPEndPoint)client.Client.LocalEndPoint!, fixture.Tcp);
        var received = new List<byte>();
        try
        {
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(raw.Invite(verification.Phone, verification.AuthPhone)));
            // The close, however busy the machine.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var buffer = new byte[4096];
            int n;
            while ((n = await stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                received.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (IOException)
        {
            // Reset instead of FIN: closed just the same.
        }

        Assert.Empty(received);
        await verification.AssertPendingAsync();
    }

    /// <summary>
    /// P-Asserted-Identity (RFC 3325) and its predecessor Remote-Party-ID are both assertions: one switch, TrustPai.
    /// </summary>
    [Theory]
    [InlineData("uac-pai.xml", "pai", "PAssertedIdentity")]
    [InlineData("uac-rpid.xml", "rpid", "RemotePartyId")]
    public async Task From_a_trunk_trusted_to_assert_identity_the_asserted_identity_wins_over_from(
        string scenario, string header, string source)
    {
        var verification = await Verification.CreateAsync(Server);
        var spoofedFrom = Verification.NewPhone();
        var options = fixture.Sipp(
            SipTransportKind.Udp,
            ("caller", spoofedFrom),
            (header, verification.Phone),
            ("called", verification.AuthPhone));

        await SippRunner.RunOkAsync(scenario, options);

        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal(options.CallId(), row!["call_id"]!.GetValue<string>());
        Assert.Contains("trunk=carrier id=" + source, row["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uac-pai.xml", "pai")]
    [InlineData("uac-rpid.xml", "rpid")]
    public async Task From_a_trunk_not_trusted_to_assert_identity_from_wins_and_the_asserted_identity_is_ignored(
        string scenario, string header)
    {
        var verification = await Verification.CreateAsync(Server);
        var other = Verification.NewPhone();

        // The asserted identity names the user, From someone else: the PBX may not assert, so this is a call
        // from "other".
        var asserted = fixture.Sipp(
            SipTransportKind.Udp,
            ("caller", other),
            (header, verification.Phone),
            ("called", verification.AuthPhone)) with
        {
            LocalIp = SipServerFixture.PbxIp,
        };
        await SippRunner.RunOkAsync(scenario, asserted);
        var check = await verification.CheckAsync();
        Assert.Equal("pending", check["status"]!.GetValue<string>());
        Assert.EndsWith(other[^4..], check["other_caller"]!.GetValue<string>(), StringComparison.Ordinal);

        // From names the user: confirmed, whatever the asserted identity says.
        var fromUser = fixture.Sipp(
            SipTransportKind.Udp,
            ("caller", verification.Phone),
            (header, other),
            ("called", verification.AuthPhone)) with
        {
            LocalIp = SipServerFixture.PbxIp,
        };
        await SippRunner.RunOkAsync(scenario, fromUser);
        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal(fromUser.CallId(), row!["call_id"]!.GetValue<string>());
        Assert.Contains("trunk=office-pbx id=From", row["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

/// <summary>With <c>Sip:UntrustedPolicy = Forbidden</c> the same sources are told 403 instead.</summary>
public sealed class SipForbiddenTests(ForbiddingSipServerFixture fixture) : IClassFixture<ForbiddingSipServerFixture>
{
    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public async Task An_invite_from_outside_every_trunk_gets_403_and_confirms_nothing(SipTransportKind transport)
    {
        var verification = await Verification.CreateAsync(fixture.Server);
        var options = fixture.Sipp(transport, ("caller", verification.Phone), ("called", verification.AuthPhone)) with
        {
            LocalIp = SipServerFixture.UntrustedIp,
        };

        var run = await SippRunner.RunOkAsync("uac-forbidden.xml", options);

        Assert.Equal(["INVITE", "SIP/2.0 403 Forbidden", "ACK"], SippScenarioTests.Flow(run));
        await verification.AssertPendingAsync();
    }
}
