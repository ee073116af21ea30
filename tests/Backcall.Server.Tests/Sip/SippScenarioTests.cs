using Backcall.Server.Tests.Infrastructure;

namespace Backcall.Server.Tests.Sip;

/// <summary>
/// The real server against sipp, a SIP implementation of its own, over UDP and TCP: what a carrier trunk
/// sends, and what the server must answer per RFC 3261.
/// </summary>
public sealed class SippScenarioTests(SipServerFixture fixture) : IClassFixture<SipServerFixture>
{
    private BackcallProcess Server => fixture.Server;

    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public async Task A_call_from_the_users_phone_is_rejected_acked_and_confirms_the_authorization(
        SipTransportKind transport)
    {
        var verification = await Verification.CreateAsync(Server);
        await verification.AssertPendingAsync();

        var options = fixture.Sipp(transport, ("caller", verification.Phone), ("called", verification.AuthPhone));
        var run = await SippRunner.RunOkAsync("uac-reject.xml", options);

        Assert.Equal(["INVITE", "SIP/2.0 486 Busy Here", "ACK"], Flow(run));
        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal(options.CallId(), row!["call_id"]!.GetValue<string>());
        Assert.Equal("matched", row["outcome"]!.GetValue<string>());
        Assert.Equal("+" + verification.AuthPhone, row["called"]!.GetValue<string>());
        Assert.Contains(
            $"sip:{transport.ToString().ToLowerInvariant()}:",
            row["source"]!.GetValue<string>(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retransmitted_invite_over_tcp_gets_the_same_486_and_confirms_once()
    {
        var verification = await Verification.CreateAsync(Server);
        var options = fixture.Sipp(
            SipTransportKind.Tcp, ("caller", verification.Phone), ("called", verification.AuthPhone));
        var run = await SippRunner.RunOkAsync("uac-retransmit.xml", options);

        Assert.Equal(["INVITE", "SIP/2.0 486 Busy Here", "INVITE", "SIP/2.0 486 Busy Here", "ACK"], Flow(run));
        var finals = run.Messages.Where(m => !m.Sent).Select(m => m.Text).ToArray();
        Assert.Equal(finals[0], finals[1]);
        await verification.AssertConfirmedAsync();
        var row = Assert.Single(await Verification.CallLogAsync(Server, Verification.E164(verification.Phone)));
        Assert.Equal(options.CallId(), row!["call_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_an_ack_the_486_is_retransmitted_over_udp_until_the_ack_comes()
    {
        var verification = await Verification.CreateAsync(Server);
        var run = await SippRunner.RunOkAsync(
            "uac-lost-ack.xml",
            fixture.Sipp(SipTransportKind.Udp, ("caller", verification.Phone), ("called", verification.AuthPhone)));

        var messages = run.Messages
            .Where(m => !m.FirstLine.StartsWith("SIP/2.0 100", StringComparison.Ordinal))
            .ToList();
        var ack = messages.FindIndex(m => m.Sent && m.FirstLine.StartsWith("ACK", StringComparison.Ordinal));
        Assert.True(ack > 0, run.ToString());
        var before = messages[..ack].Where(m => !m.Sent).ToList();
        Assert.True(before.Count >= 2, run.ToString()); // Timer G at 0.5 s and 1.5 s; 2.5 s without ACK
        Assert.All(before, m => Assert.Equal(before[0].Text, m.Text));

        // The ACK stopped Timer G: an ignored ACK would bring copies at 3.5 s and 7.5 s. One copy may have
        // crossed the ACK on the wire (a busy machine), so one is allowed; the clock is sipp's, not ours.
        var after = messages[(ack + 1)..].Where(m => !m.Sent).ToList();
        Assert.True(after.Count <= 1, run.ToString());
        Assert.All(after, m => Assert.Equal(before[0].Text, m.Text));
        await verification.AssertConfirmedAsync();
    }

    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public async Task A_cancel_after_the_486_gets_200_and_changes_nothing(SipTransportKind transport)
    {
        var verification = await Verification.CreateAsync(Server);
        var run = await SippRunner.RunOkAsync(
            "uac-cancel.xml",
            fixture.Sipp(transport, ("caller", verification.Phone), ("called", verification.AuthPhone)));

        // The scenario checked that the 200 answers the CANCEL and carries the 486's To tag.
        Assert.Equal(["INVITE", "SIP/2.0 486 Busy Here", "CANCEL", "SIP/2.0 200 OK", "ACK"], Flow(run));
        await verification.AssertConfirmedAsync();
    }

    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public async Task A_cancel_matching_no_invite_gets_481(SipTransportKind transport)
    {
        var run = await SippRunner.RunOkAsync(
            "uac-cancel-unknown.xml",
            fixture.Sipp(transport, ("caller", Verification.NewPhone()), ("called", "79640000001")));
        Assert.Equal(["CANCEL", "SIP/2.0 481 Call/Transaction Does Not Exist"], Flow(run));
    }

    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public async Task Options_gets_200_with_allow(SipTransportKind transport)
    {
        var run = await SippRunner.RunOkAsync("uac-options.xml", fixture.Sipp(transport, ("called", "79640000001")));
        Assert.Equal(["OPTIONS", "SIP/2.0 200 OK"], Flow(run));
        var allow = RawSip.Header(run.Messages[1].Text.ReplaceLineEndings("\r\n"), "Allow");
        Assert.Equal(
            ["ACK", "BYE", "CANCEL", "INVITE", "OPTIONS"], allow.Split(',', StringSplitOptions.TrimEntries).Order());
    }

    /// <summary>
    /// The dialogue as first lines (methods for requests), without provisionals and without UDP
    /// retransmissions, which say nothing about the flow and come whenever the machine is busy: a copy right after
    /// the same message (sipp resends its INVITE when the answer takes 500 ms, and the server answers the copy),
    /// and a final response the server resent before the ACK that was already on its way reached it (and sipp's
    /// ACK to that copy).
    /// </summary>
    internal static string[] Flow(SippRun run)
    {
        var kept = new List<SippMessage>();
        foreach (var m in run.Messages.Where(m => !m.FirstLine.StartsWith("SIP/2.0 1", StringComparison.Ordinal)))
        {
            var copyOfLast = kept.Count > 0 && kept[^1].Sent == m.Sent && kept[^1].Text == m.Text;
            var first = kept.FindIndex(e => !e.Sent && !m.Sent && e.Text == m.Text);
            var resentAfterAck = first >= 0
                && kept.Skip(first).Any(e => e.Sent && e.FirstLine.StartsWith("ACK ", StringComparison.Ordinal));
            if (!copyOfLast && !resentAfterAck)
            {
                kept.Add(m);
            }
        }

        return
        [
            .. kept.Select(m => m.FirstLine.StartsWith("SIP/2.0", StringComparison.Ordinal)
                ? m.FirstLine
                : m.FirstLine.Split(' ')[0]),
        ];
    }
}
