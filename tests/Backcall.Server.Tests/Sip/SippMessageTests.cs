namespace Backcall.Server.Tests.Sip;

/// <summary>How sipp's message trace is read back (<see cref="SippMessage.Parse"/>, <c>Flow</c>).</summary>
public sealed class SippMessageTests
{
    private const string Dashes = "-----------------------------------------------";

    [Fact]
    public void A_final_response_resent_to_a_call_sipp_has_ended_is_read_as_a_retransmission()
    {
        // The trace of sipp (3.6.1 here) for uac-forbidden.xml when the 403 came late: the INVITE went twice, each
        // copy was answered, and the second 403 reached sipp after its ACK had ended the call. sipp logs such a
        // message under a bare dashed line with no date. Read as part of the message before it, it made a flow of
        // INVITE, 403, ACK, 403 on a loaded CI machine.
        var invite = Sip(
            "INVITE sip:79640000001@127.0.0.1:5077 SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.1:5078;branch=z9hG4bK-1-1-0",
            "CSeq: 1 INVITE",
            "Content-Length: 0");
        var forbidden = Sip(
            "SIP/2.0 403 Forbidden",
            "Via: SIP/2.0/UDP 127.0.0.1:5078;branch=z9hG4bK-1-1-0;received=127.0.0.1",
            "To: <sip:79640000001@127.0.0.1:5077>;tag=abc",
            "CSeq: 1 INVITE",
            "Content-Length: 0");
        var ack = Sip(
            "ACK sip:79640000001@127.0.0.1:5077 SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.1:5078;branch=z9hG4bK-1-1-0",
            "CSeq: 1 ACK",
            "Content-Length: 0");
        var log = Block("01:03:08.100009", "UDP message sent (502 bytes):", invite)
            + Block("01:03:08.602881", "UDP message sent (502 bytes):", invite)
            + Block("01:03:08.800965", "UDP message received [277] bytes :", forbidden)
            + Block("01:03:08.801018", "UDP message sent (302 bytes):", ack)
            + Block("01:03:08.801047", "UDP message received [277] bytes :", forbidden)
            + Dashes + "\nDead call 1-1@127.0.0.1 received a UDP message:\n\n" + forbidden + "\n";

        var run = new SippRun(0, "", log, "");

        Assert.Equal(6, run.Messages.Count);
        Assert.False(run.Messages[^1].Sent);
        Assert.Equal(forbidden + "\n", run.Messages[^1].Text);
        Assert.Equal(run.Messages[2].Text, run.Messages[4].Text);
        Assert.Equal(["INVITE", "SIP/2.0 403 Forbidden", "ACK"], SippScenarioTests.Flow(run));
    }

    private static string Sip(params string[] lines) => string.Join("\r\n", lines) + "\r\n\r\n";

    private static string Block(string time, string what, string message) =>
        $"{Dashes} 2026-12-02 {time}\n{what}\n\n{message}\n";
}
