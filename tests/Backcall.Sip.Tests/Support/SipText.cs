using System.Text;
using Backcall.Sip.Message;
using Backcall.Sip.Parsing;

namespace Backcall.Sip.Tests.Support;

/// <summary>Helpers to write SIP messages in tests with LF and get CRLF bytes.</summary>
internal static class SipText
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));

    public static SipRequest ParseRequest(string text)
    {
        var result = SipMessageParser.Parse(Bytes(text));
        Assert.True(result.IsValid, $"{result.Error}: {result.Detail}");
        return Assert.IsType<SipRequest>(result.Message);
    }

    public static SipResponse ParseResponse(byte[] bytes)
    {
        var result = SipMessageParser.Parse(bytes);
        Assert.True(result.IsValid, $"{result.Error}: {result.Detail}\n{Encoding.Latin1.GetString(bytes)}");
        return Assert.IsType<SipResponse>(result.Message);
    }

    public static string Invite(
        string branch = "z9hG4bK-1",
        string callId = "call-1@test",
        string from = "<sip:+79991112233@trunk.example>;tag=ft1",
        string to = "<sip:+74950000001@backcall.example>",
        string ruri = "sip:+74950000001@backcall.example",
        string via = "SIP/2.0/UDP 127.0.0.1:5070",
        string extra = "",
        uint cseq = 1,
        string method = "INVITE") =>
        $"""
        {method} {ruri} SIP/2.0
        Via: {via};branch={branch}
        Max-Forwards: 70
        From: {from}
        To: {to}
        Call-ID: {callId}
        CSeq: {cseq} {method}
        Contact: <sip:trunk@127.0.0.1:5070>
        {extra}Content-Length: 0


        """.Replace("\n\nContent-Length", "\nContent-Length", StringComparison.Ordinal);
}
