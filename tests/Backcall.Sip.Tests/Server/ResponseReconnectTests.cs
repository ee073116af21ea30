using System.Net;
using System.Net.Sockets;
using System.Text;
using Backcall.Sip.Diagnostics;
using Backcall.Sip.Tests.Registration;
using Backcall.Sip.Tests.Support;
using Backcall.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Server;

/// <summary>
/// RFC 3261 §18.2.2: a response whose connection has closed goes over a new one to the Via sent-by port.
/// </summary>
/// <remarks>
/// The server runs on a fake clock, so nothing is sent but the 486 the test releases: on the real clock the 100
/// Trying (200 ms) or the decision timeout (5 s) could fire after the close on a slow machine, and reconnect to the
/// trunk before the test looks, holding the very slot it counts.
/// </remarks>
public sealed class ResponseReconnectTests : IDisposable
{
    private static readonly TimeSpan Functional = TimeSpan.FromSeconds(30);
    private readonly TestCertificates _certificates = new();

    [Theory]
    [InlineData(SipTransport.Tcp)]
    [InlineData(SipTransport.Tls)]
    public async Task The_486_for_an_invite_whose_connection_closed_comes_over_a_new_connection_to_the_sent_by_port(
        SipTransport transport)
    {
        // The trunk listens where its Via says (sent-by 127.0.0.1:port) and sent the INVITE from another socket.
        var trunk = new TcpListener(IPAddress.Loopback, 0);
        trunk.Start();
        try
        {
            var port = ((IPEndPoint)trunk.LocalEndpoint).Port;
            _certificates.WritePem();
            var handler = new TestInviteHandler { Hold = true };
            var options = new SipOptions
            {
                Endpoints = transport == SipTransport.Tls ? "tls:127.0.0.1:0" : "tcp:127.0.0.1:0",
                // Both ends use the test's certificate: ours when answering, the trunk's checked against the test CA.
                Tls = new SipTlsOptions
                {
                    CertificateFile = _certificates.CertificateFile,
                    KeyFile = _certificates.KeyFile,
                    CaFile = _certificates.CaFile,
                },
            };
            await using var server = new SipServer(options, handler, new FakeTimeProvider());
            await server.StartAsync();
            var viaTransport = transport == SipTransport.Tls ? "TLS" : "TCP";
            var invite = SipText.Bytes(SipText.Invite(via: $"SIP/2.0/{viaTransport} 127.0.0.1:{port}"));

            using (var sending = new TcpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            {
                await sending.ConnectAsync(server.BoundEndpoints[0].EndPoint);
                Stream stream = sending.GetStream();
                if (transport == SipTransport.Tls)
                {
                    stream = await Tls.TlsTrust.FromCaFile(_certificates.CaFile)
                        .AuthenticateAsClientAsync(stream, "127.0.0.1", CancellationToken.None);
                }

                await stream.WriteAsync(invite);
                await TlsTransportTests.Eventually(() => handler.Calls.Count == 1);
            }

            await TlsTransportTests.Eventually(() => server.TcpConnections == 0); // the server saw it close
            handler.Release(SipRejectDecision.Default);

            using var reopened = await trunk.AcceptTcpClientAsync().WaitAsync(Functional);
            Stream incoming = reopened.GetStream();
            if (transport == SipTransport.Tls)
            {
                var ssl = new System.Net.Security.SslStream(incoming);
                await ssl.AuthenticateAsServerAsync(
                    new System.Net.Security.SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = System.Net.Security.SslStreamCertificateContext.Create(
                            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
                                _certificates.CertificateFile, _certificates.KeyFile),
                            null),
                    }).WaitAsync(Functional);
                incoming = ssl;
            }

            var response = await ReadFirstMessageAsync(incoming);
            Assert.StartsWith("SIP/2.0 486 Busy Here", response, StringComparison.Ordinal);
            Assert.Contains("CSeq: 1 INVITE", response, StringComparison.Ordinal);
            Assert.Equal(1, server.TcpConnections); // the connection we opened holds one of the slots
        }
        finally
        {
            trunk.Stop();
        }
    }

    [Fact]
    public async Task A_new_connection_for_a_response_needs_a_free_slot_like_any_other()
    {
        var trunk = new TcpListener(IPAddress.Loopback, 0);
        trunk.Start();
        try
        {
            var port = ((IPEndPoint)trunk.LocalEndpoint).Port;
            var handler = new TestInviteHandler { Hold = true };
            var log = new RegistrarScript.CapturingLogger();
            var options = new SipOptions
            {
                Endpoints = "tcp:127.0.0.1:0",
                MaxTcpConnections = 2,
                TcpConnectionsReservedForTrunks = 1,
            };
            await using var server = new SipServer(
                options,
                handler,
                new FakeTimeProvider(),
                loggerFactory: new OneLoggerFactory(log));
            await server.StartAsync();
            using (var sending = new TcpClient(new IPEndPoint(IPAddress.Loopback, 0)))
            {
                await sending.ConnectAsync(server.BoundEndpoints[0].EndPoint);
                await sending.GetStream()
                    .WriteAsync(SipText.Bytes(SipText.Invite(via: $"SIP/2.0/TCP 127.0.0.1:{port}")));
                await TlsTransportTests.Eventually(() => handler.Calls.Count == 1);
            }

            await TlsTransportTests.Eventually(() => server.TcpConnections == 0);

            // The trunk now holds every slot: the response may not open a third connection.
            using var first = new TcpClient();
            using var second = new TcpClient();
            await first.ConnectAsync(server.BoundEndpoints[0].EndPoint);
            await second.ConnectAsync(server.BoundEndpoints[0].EndPoint);
            await TlsTransportTests.Eventually(() => server.TcpConnections == 2);
            handler.Release(SipRejectDecision.Default);

            await TlsTransportTests.Eventually(() => log.Events.Contains(SipEventId.ReconnectFailed));
            Assert.Equal(2, server.TcpConnections);
        }
        finally
        {
            trunk.Stop();
        }
    }

    /// <summary>The first message on the stream, whole (on the fake clock no 100 Trying comes before it).</summary>
    private static async Task<string> ReadFirstMessageAsync(Stream stream)
    {
        var sb = new StringBuilder();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Functional);
        while (!sb.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, cts.Token);
            Assert.NotEqual(0, n);
            sb.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return sb.ToString();
    }

    public void Dispose() => _certificates.Dispose();

    private sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
