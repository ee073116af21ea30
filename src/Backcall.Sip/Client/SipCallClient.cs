using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Backcall.Sip.Client;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Message;
using Backcall.Sip.Parsing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Backcall.Sip;

/// <summary>
/// A minimal UAC that places one real call attempt: sends an INVITE with an SDP offer over UDP, TCP or TLS,
/// retransmits it on Timer A over UDP (T1, doubling) until a provisional or final response, gives up on
/// Timer B (64·T1), ACKs the final response and reports its status. Used by <c>backcall call</c> and the
/// web demo's "simulate the call". Should a server answer 2xx, the call is ACKed and hung up with BYE at once.
/// </summary>
public sealed class SipCallClient
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SipCallClient(TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Backcall.Sip.Client");
    }

    /// <summary>RFC 3261 T1 for Timer A and Timer B (default 500 ms).</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Host put in the From URI (default: the local address the call leaves from).</summary>
    public string? FromHost { get; init; }

    /// <summary>Largest response accepted, in bytes.</summary>
    public int MaxMessageSize { get; init; } = 64 * 1024;

    /// <summary>
    /// Over TLS: a PEM file of the CAs to trust for the server's certificate (default: the system store).
    /// </summary>
    public string? TlsCaFile { get; init; }

    /// <summary>
    /// Why <paramref name="path"/> cannot serve as <see cref="TlsCaFile"/> (named <paramref name="setting"/>), or null.
    /// </summary>
    public static string? TlsCaFileProblem(string path, string setting) =>
        Tls.TlsTrust.TryLoadCaFile(path, out _, out var error, setting) ? null : error;

    /// <summary>Over TLS: the name the server's certificate must carry (default: the address called).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Calls <paramref name="to"/> as <paramref name="from"/> through <paramref name="server"/>.</summary>
    /// <param name="server">Where to send the INVITE, e.g. <c>SipEndpoint.Parse("udp:127.0.0.1:5060")</c>.</param>
    /// <param name="from">Caller user part (a number such as <c>+79991112233</c>), put in From.</param>
    /// <param name="to">Called user part (a pool number), put in the Request-URI and To.</param>
    /// <exception cref="SocketException">The server could not be reached (e.g. TCP connection refused).</exception>
    /// <exception cref="IOException">A TCP server closed the connection before answering.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The TLS server's certificate is not
    /// trusted.</exception>
    public async Task<SipCallResult> CallAsync(
        SipEndpoint server,
        string from,
        string to,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        var trust = server.Transport == SipTransport.Tls ? Tls.TlsTrust.FromCaFile(TlsCaFile) : null;
        await using var connection = await ClientConnection
            .OpenAsync(server, MaxMessageSize, cancellationToken, trust, TlsServerName)
            .ConfigureAwait(false);
        var call = new OutgoingCall(server, connection.LocalEndPoint, from, to, FromHost);
        var invite = call.Invite();
        var started = _time.GetTimestamp();
        await connection.SendAsync(invite, cancellationToken).ConfigureAwait(false);
        var transmissions = 1;
        var provisional = false;
        var timerB = T1 * 64;
        var timerAInterval = T1;
        var timerADue = T1;

        while (true)
        {
            var elapsed = _time.GetElapsedTime(started);
            if (elapsed >= timerB)
            {
                return Finish(call, 408, "Request Timeout", timedOut: true, provisional, transmissions, null, elapsed);
            }

            // Timer A only runs over UDP and only until something came back (RFC 3261 §17.1.1.2).
            var retransmitting = !connection.IsReliable && !provisional;
            var wait = retransmitting ? Min(timerADue - elapsed, timerB - elapsed) : timerB - elapsed;
            var bytes = await connection
                .ReceiveAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, cancellationToken)
                .ConfigureAwait(false);
            if (bytes is null)
            {
                if (retransmitting && _time.GetElapsedTime(started) >= timerADue)
                {
                    await connection.SendAsync(invite, cancellationToken).ConfigureAwait(false);
                    transmissions++;
                    timerAInterval *= 2;
                    timerADue += timerAInterval;
                }

                continue;
            }

            if (SipMessageParser.Parse(bytes, MaxMessageSize).Message is not SipResponse response
                || !call.Matches(response))
            {
                continue; // not ours (or not even a response)
            }

            if (response.StatusCode < 200)
            {
                provisional = true;
                continue;
            }

            await connection.SendAsync(call.Ack(response), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode < 300)
            {
                await connection.SendAsync(call.Bye(response), cancellationToken).ConfigureAwait(false);
            }

            return Finish(
                call,
                response.StatusCode,
                response.ReasonPhrase,
                timedOut: false,
                provisional,
                transmissions,
                response.To?.Tag,
                _time.GetElapsedTime(started));
        }

        SipCallResult Finish(
            OutgoingCall c,
            int status,
            string reason,
            bool timedOut,
            bool gotProvisional,
            int sent,
            string? toTag,
            TimeSpan elapsed)
        {
            SipLog.ClientCallEnded(_logger, c.CallId, server, status);
            return new SipCallResult
            {
                StatusCode = status,
                ReasonPhrase = reason,
                CallId = c.CallId,
                TimedOut = timedOut,
                ReceivedProvisional = gotProvisional,
                InviteTransmissions = sent,
                ToTag = toTag,
                Elapsed = elapsed,
            };
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The messages of one call attempt: INVITE, ACK for the final response, BYE after a 2xx.</summary>
    private sealed class OutgoingCall
    {
        private readonly SipEndpoint _server;
        private readonly IPEndPoint _local;
        private readonly string _from;
        private readonly string _to;
        private readonly string _fromHost;
        private readonly string _branch = "z9hG4bK" + SipTokens.New(12);
        private readonly string _fromTag = SipTokens.New(8);

        public OutgoingCall(SipEndpoint server, IPEndPoint local, string from, string to, string? fromHost)
        {
            _server = server;
            _local = local;
            _from = EscapeUser(from.Trim());
            _to = EscapeUser(to.Trim());
            _fromHost = fromHost ?? HostOf(local);
            CallId = $"{SipTokens.New(16)}@backcall";
        }

        public string CallId { get; }

        private string Transport => SipEndpoint.NameOf(_server.Transport).ToUpperInvariant();

        private string RequestUri => $"sip:{_to}@{HostOf(_server.EndPoint)}";

        private string Via(string branch) => $"SIP/2.0/{Transport} {HostOf(_local)};rport;branch={branch}";

        public bool Matches(SipResponse response) =>
            response.TopVia?.Branch == _branch
            && response.CSeq is { Method: SipMethods.Invite, Number: 1 }
            && response.CallId == CallId;

        public byte[] Invite()
        {
            var sdp = Sdp();
            return Encode(
                $"INVITE {RequestUri} SIP/2.0",
                $"Via: {Via(_branch)}",
                "Max-Forwards: 70",
                $"From: <sip:{_from}@{_fromHost}>;tag={_fromTag}",
                $"To: <{RequestUri}>",
                $"Call-ID: {CallId}",
                "CSeq: 1 INVITE",
                $"Contact: <sip:{_from}@{HostOf(_local)}"
                    + (_server.Transport == SipTransport.Udp
                        ? ""
                        : ";transport=" + SipEndpoint.NameOf(_server.Transport))
                    + ">",
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS",
                "User-Agent: Backcall",
                "Content-Type: application/sdp",
                $"Content-Length: {Encoding.ASCII.GetByteCount(sdp)}",
                "",
                sdp);
        }

        /// <summary>ACK for a non-2xx is part of the INVITE transaction: same branch (RFC 3261 §17.1.1.3).</summary>
        public byte[] Ack(SipResponse final) => Encode(
            $"ACK {RequestUri} SIP/2.0",
            $"Via: {Via(final.StatusCode >= 300 ? _branch : "z9hG4bK" + SipTokens.New(12))}",
            "Max-Forwards: 70",
            $"From: <sip:{_from}@{_fromHost}>;tag={_fromTag}",
            $"To: {final.GetHeader(SipHeaderNames.To)}",
            $"Call-ID: {CallId}",
            "CSeq: 1 ACK",
            "Content-Length: 0",
            "",
            "");

        public byte[] Bye(SipResponse final) => Encode(
            $"BYE {RequestUri} SIP/2.0",
            $"Via: {Via("z9hG4bK" + SipTokens.New(12))}",
            "Max-Forwards: 70",
            $"From: <sip:{_from}@{_fromHost}>;tag={_fromTag}",
            $"To: {final.GetHeader(SipHeaderNames.To)}",
            $"Call-ID: {CallId}",
            "CSeq: 2 BYE",
            "Content-Length: 0",
            "",
            "");

        /// <summary>An audio offer on the discard port: enough for a real trunk to route the call.</summary>
        private string Sdp()
        {
            var family = _local.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
            var address = _local.Address.IsIPv4MappedToIPv6 ? _local.Address.MapToIPv4() : _local.Address;
            var session = RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
            return string.Join("\r\n",
                "v=0",
                $"o=backcall {session} {session} IN {family} {address}",
                "s=Backcall",
                $"c=IN {family} {address}",
                "t=0 0",
                "m=audio 9 RTP/AVP 0 8",
                "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:8 PCMA/8000",
                "a=sendrecv",
                "");
        }

        private static byte[] Encode(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines));

        private static string HostOf(IPEndPoint endpoint)
        {
            var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
            var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            return $"{host}:{endpoint.Port}";
        }

        /// <summary>%-escapes what a SIP user part may not carry (spaces, '@', non-ASCII), RFC 3261 §19.1.2.</summary>
        private static string EscapeUser(string user)
        {
            var sb = new StringBuilder(user.Length);
            foreach (var b in Encoding.UTF8.GetBytes(user))
            {
                var c = (char)b;
                if (b < 0x80 && c != '%' && Parsing.SipGrammar.UserChars.Contains(c))
                {
                    sb.Append(c);
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return sb.ToString();
        }
    }
}
