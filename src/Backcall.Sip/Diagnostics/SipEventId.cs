namespace Backcall.Sip.Diagnostics;

/// <summary>
/// The event id of every log message of the SIP stack, in one place (as Npgsql's <c>NpgsqlEventId</c>), so
/// that an operator can filter or alert on one and no two messages share one. Backcall.Sip owns 5000–5999
/// of the product's ids (the server's <c>ServerEventId</c> lists the others); within it, by hundreds:
/// <code>
/// 5000–5099  transport: listening, connections, sends
/// 5100–5199  message handling: trust, rate limit, malformed input, proxies
/// 5200–5299  transactions
/// 5300–5399  the application's INVITE handler
/// 5400–5499  the client (test and benchmark calls)
/// 5500–5599  outbound registration and DNS (registrar and trunk source host names)
/// 5600–5999  free: the next area takes the next hundred
/// </code>
/// A test fails when two messages share an id or a message's id is not declared here.
/// </summary>
internal static class SipEventId
{
    public const int Listening = 5000;
    public const int Stopped = 5001;
    public const int ReceiveFailed = 5002;
    public const int TcpClosed = 5003;
    public const int TcpLimit = 5004;
    public const int SendFailed = 5005;
    public const int OversizeDatagram = 5006;
    public const int TlsCertificateLoaded = 5007;
    public const int TlsCertificateReloadFailed = 5008;
    public const int ReconnectFailed = 5009;
    public const int TcpUntrustedRefused = 5010;

    public const int Untrusted = 5100;
    public const int RateLimited = 5101;
    public const int Malformed = 5102;
    public const int Answered = 5103;
    public const int ForwardedUntrusted = 5104;
    public const int ForwardedSourceUnusable = 5105;
    public const int TrunkRateLimited = 5106;

    public const int TimerH = 5200;
    public const int TransactionLimit = 5201;

    public const int InviteRejected = 5300;
    public const int HandlerFailed = 5301;
    public const int HandlerTimedOut = 5302;
    public const int HandlerBadStatus = 5303;
    public const int InviteCancelled = 5304;

    public const int ClientCallEnded = 5400;

    public const int Registered = 5500;
    public const int RegistrationFailing = 5501;
    public const int Unregistered = 5502;
    public const int SourceResolved = 5503;
    public const int SourceUnresolved = 5504;
    public const int RegistrationContactMoved = 5505;
}
