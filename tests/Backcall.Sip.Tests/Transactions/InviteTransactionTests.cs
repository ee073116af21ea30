using Backcall.Sip.Tests.Support;
using Backcall.Testing;

namespace Backcall.Sip.Tests.Transactions;

public class InviteTransactionTests
{
    private static string Ack(string branch = "z9hG4bK-1", string toTag = "x") => $"""
        ACK sip:+74950000001@backcall.example SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}
        Max-Forwards: 70
        From: <sip:+79991112233@trunk.example>;tag=ft1
        To: <sip:+74950000001@backcall.example>;tag={toTag}
        Call-ID: call-1@test
        CSeq: 1 ACK
        Content-Length: 0


        """;

    private static string Cancel(string branch = "z9hG4bK-1") => $"""
        CANCEL sip:+74950000001@backcall.example SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}
        Max-Forwards: 70
        From: <sip:+79991112233@trunk.example>;tag=ft1
        To: <sip:+74950000001@backcall.example>
        Call-ID: call-1@test
        CSeq: 1 CANCEL
        Content-Length: 0


        """;

    [Fact]
    public async Task Final_response_is_retransmitted_on_timer_G_until_timer_H()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite());

        stack.Advance(TimeSpan.FromSeconds(40));

        var sent = stack.Udp.All;
        Assert.All(sent, s => Assert.Equal(486, s.Status));
        Assert.Equal(sent[0].Bytes, sent[^1].Bytes);
        double[] expected = [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5];
        Assert.Equal(expected, sent.Select(s => Math.Round(s.At.TotalSeconds, 1)));
        Assert.Equal(0, stack.Server.ActiveTransactions); // Timer H (32 s) terminated it
        Assert.Equal(10, stack.Server.Counters.Retransmissions);
        Assert.Equal(1, stack.Server.Counters.RejectedByCode[486]);
    }

    [Fact]
    public async Task Timer_values_come_from_options()
    {
        await using var stack = new StackHarness(
            configure: o => (o.T1, o.T2) = (TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400)));
        stack.Receive(SipText.Invite());
        stack.Advance(TimeSpan.FromSeconds(8), TimeSpan.FromMilliseconds(10));
        double[] expected = [0, 0.1, 0.3, 0.7, 1.1, 1.5, 1.9, 2.3, 2.7, 3.1, 3.5, 3.9, 4.3, 4.7, 5.1, 5.5, 5.9, 6.3];
        Assert.Equal(expected, stack.Udp.All.Select(s => Math.Round(s.At.TotalSeconds, 1)));
        Assert.Equal(0, stack.Server.ActiveTransactions); // H = 64·T1 = 6.4 s
    }

    [Fact]
    public async Task Ack_stops_retransmissions_and_is_absorbed_for_T4()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite());
        var toTag = stack.Udp.Responses[0].To!.Tag!;
        stack.Advance(TimeSpan.FromSeconds(1)); // one retransmission at 0.5 s
        stack.Receive(Ack(toTag: toTag));
        stack.Receive(Ack(toTag: toTag)); // retransmitted ACK: absorbed
        stack.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(2, stack.Udp.All.Count);
        Assert.Equal(1, stack.Server.ActiveTransactions); // Confirmed, Timer I running
        stack.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Equal(0, stack.Server.ActiveTransactions);
        Assert.Equal(2, stack.Udp.All.Count);
    }

    [Theory]
    [InlineData("SIP/2.0/UDP 127.0.0.1:5070")] // read by the shortcut before the parse
    [InlineData("SIP/2.0/UDP 127.0.0.1:5070 ")] // white space in the Via: the full parse
    public async Task Invite_retransmitted_after_the_ack_is_absorbed_until_T4_ends(string via)
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite(via: via));
        stack.Receive(Ack(toTag: stack.Udp.Responses[0].To!.Tag!));
        stack.Advance(TimeSpan.FromSeconds(4.9));
        stack.Receive(SipText.Invite(via: via)); // the client missed our 486 once more: still the same call
        Assert.Single(stack.Handler.Calls);
        Assert.Single(stack.Udp.All);
        Assert.Equal(1, stack.Server.ActiveTransactions);

        stack.Advance(TimeSpan.FromSeconds(0.2)); // Timer I ended the transaction: the same branch is a new one
        Assert.Equal(0, stack.Server.ActiveTransactions);
        stack.Receive(SipText.Invite(via: via));
        Assert.Equal(2, stack.Handler.Calls.Count);
        Assert.Equal(2, stack.Udp.All.Count);
    }

    [Fact]
    public async Task Cancel_after_the_ack_still_matches_the_confirmed_invite()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite());
        stack.Receive(Ack(toTag: stack.Udp.Responses[0].To!.Tag!));
        stack.Receive(Cancel());
        stack.Advance(TimeSpan.FromSeconds(33)); // past Timer I, and past Timer J of the CANCEL's own transaction
        stack.Receive(Cancel());
        Assert.Equal([486, 200, 481], stack.Udp.Responses.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Over_tcp_there_is_no_timer_G_and_ack_terminates_at_once()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite(via: "SIP/2.0/TCP 127.0.0.1:5070"), stack.Tcp);
        stack.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(stack.Tcp.All);
        stack.Receive(Ack().Replace("UDP", "TCP", StringComparison.Ordinal), stack.Tcp);
        Assert.Equal(0, stack.Server.ActiveTransactions);
    }

    [Fact]
    public async Task Retransmitted_invite_gets_the_same_final_and_the_handler_runs_once()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite());
        stack.Receive(SipText.Invite());
        stack.Receive(SipText.Invite());
        Assert.Single(stack.Handler.Calls);
        var sent = stack.Udp.All;
        Assert.Equal(3, sent.Count);
        Assert.All(sent, s => Assert.Equal(sent[0].Bytes, s.Bytes));
    }

    [Fact]
    public async Task Slow_decision_sends_100_trying_after_200ms_and_repeats_it_for_retransmissions()
    {
        await using var stack = new StackHarness(new TestInviteHandler { Hold = true });
        stack.Receive(SipText.Invite());
        stack.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Empty(stack.Udp.All);
        stack.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(100, Assert.Single(stack.Udp.All).Status);
        Assert.Null(stack.Udp.Responses[0].To!.Tag);
        stack.Receive(SipText.Invite());
        Assert.Equal([100, 100], stack.Udp.All.Select(s => s.Status));

        stack.Handler.Release(SipRejectDecision.Decline);

        // The handler's continuation answers on another thread.
        Assert.True(await Wait.UntilAsync(() => stack.Udp.All.Count == 3));
        Assert.Equal(603, stack.Udp.All[2].Status);
        Assert.NotNull(stack.Udp.Responses[2].To!.Tag);
    }

    [Fact]
    public async Task Trying_delay_zero_sends_100_immediately()
    {
        await using var stack = new StackHarness(configure: o => o.TryingDelay = TimeSpan.Zero);
        stack.Receive(SipText.Invite());
        Assert.Equal([100, 486], stack.Udp.All.Select(s => s.Status));
    }

    [Fact]
    public async Task Cancel_before_the_decision_gets_200_and_the_invite_487()
    {
        await using var stack = new StackHarness(new TestInviteHandler { Hold = true });
        stack.Receive(SipText.Invite());
        stack.Receive(Cancel());
        var responses = stack.Udp.Responses;
        Assert.Equal([487, 200], responses.Select(r => r.StatusCode));
        Assert.Equal("INVITE", responses[0].CSeq!.Value.Method);
        Assert.Equal("CANCEL", responses[1].CSeq!.Value.Method);
        Assert.True(stack.Handler.LastToken.IsCancellationRequested);

        stack.Handler.Release(SipRejectDecision.BusyHere); // too late: ignored
        await Task.Delay(50);
        Assert.Equal(2, stack.Udp.All.Count);
        Assert.Equal(1, stack.Server.Counters.RejectedByCode[487]);
    }

    [Fact]
    public async Task Cancel_after_the_decision_gets_200_only()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite());
        stack.Receive(Cancel());
        Assert.Equal([486, 200], stack.Udp.Responses.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Cancel_without_a_matching_invite_gets_481()
    {
        await using var stack = new StackHarness();
        stack.Receive(Cancel("z9hG4bK-other"));
        Assert.Equal(481, Assert.Single(stack.Udp.All).Status);
    }

    [Fact]
    public async Task Decision_timeout_sends_the_default_code()
    {
        await using var stack = new StackHarness(new TestInviteHandler { Hold = true }, o => o.RejectCode = 480);
        stack.Receive(SipText.Invite());
        stack.Advance(TimeSpan.FromSeconds(5.1));
        Assert.Equal([100, 480], stack.Udp.All.Select(s => s.Status));
        Assert.True(stack.Handler.LastToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Handler_failure_sends_the_default_code()
    {
        await using var stack = new StackHarness(
            new TestInviteHandler { Throw = new InvalidOperationException("boom") });
        stack.Receive(SipText.Invite());
        Assert.Equal(486, Assert.Single(stack.Udp.All).Status);
    }

    [Theory]
    [InlineData(603)]
    [InlineData(480)]
    [InlineData(404)]
    public async Task Handler_chooses_the_status(int status)
    {
        await using var stack = new StackHarness(
            new TestInviteHandler { Decide = _ => SipRejectDecision.WithStatus(status) });
        stack.Receive(SipText.Invite());
        Assert.Equal(status, Assert.Single(stack.Udp.All).Status);
    }

    [Fact]
    public void Two_hundred_is_not_a_rejection() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SipRejectDecision.WithStatus(200));

    [Fact]
    public async Task Reinvite_with_a_to_tag_gets_481_without_asking_the_application()
    {
        await using var stack = new StackHarness();
        stack.Receive(SipText.Invite(to: "<sip:+74950000001@backcall.example>;tag=abc"));
        Assert.Equal(481, Assert.Single(stack.Udp.All).Status);
        Assert.Empty(stack.Handler.Calls);
    }

    [Fact]
    public async Task Rfc2543_invite_without_branch_is_matched_by_the_fallback_key()
    {
        await using var stack = new StackHarness();
        stack.Receive(TortureFixture.Load("Valid", "inv2543"));
        stack.Receive(TortureFixture.Load("Valid", "inv2543"));
        Assert.Single(stack.Handler.Calls);
        Assert.Equal(2, stack.Udp.All.Count);
        Assert.Equal(5060, stack.Udp.All[0].Remote.Port); // no port in Via, no rport: 5060

        stack.Receive("""
            ACK sip:UserB@example.com SIP/2.0
            Via: SIP/2.0/UDP iftgw.example.com
            From: <sip:+13035551111@ift.client.example.net;user=phone>
            To: sip:+16505552222@ss1.example.net;user=phone;tag=ours
            Call-ID: inv2543.1717@ift.client.example.com
            CSeq: 56 ACK


            """);
        stack.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, stack.Udp.All.Count); // the ACK stopped Timer G
    }
}
