using System.Net;
using System.Text;
using System.Threading.Channels;
using Backcall.Sip.Dns;
using Backcall.Sip.Message;
using Backcall.Sip.Parsing;
using Backcall.Sip.Registration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Registration;

/// <summary>
/// One registration on a fake clock and a fake socket: the test reads each REGISTER it sends and answers
/// it as a registrar would, moving the clock only once the registration has armed its timers.
/// </summary>
internal sealed class RegistrarScript : IAsyncDisposable
{
    public static readonly IPEndPoint Registrar = new(IPAddress.Parse("192.0.2.10"), 5060);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<RegistrationStatus> _changes = Channel.CreateUnbounded<RegistrationStatus>();
    private Task? _run;

    public RegistrarScript(Action<RegistrationOptions>? configure = null, SipTransport transport = SipTransport.Udp)
    {
        Options = new RegistrationOptions
        {
            Name = "provider",
            Registrar = "sip.provider.example",
            Transport = SipEndpoint.NameOf(transport),
            Username = "700100",
            Password = "secret",
            Number = "+74950000001",
            KeepAliveInterval = TimeSpan.Zero,
        };
        configure?.Invoke(Options);
        Link = new FakeLink(transport);
        Registration = new OutboundRegistration(
            Options,
            Options.Password!,
            _ => Task.FromResult(new DnsAnswer<IPEndPoint>([Registrar], TimeSpan.FromHours(1))),
            (_, _, _) => Task.FromResult<IRegistrarLink>(Link),
            _ => [],
            Time,
            new SipOptions(),
            Log);
        Registration.Changed += s => _changes.Writer.TryWrite(s);
    }

    /// <summary>Event ids of everything the registration logged.</summary>
    public CapturingLogger Log { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public RegistrationOptions Options { get; }

    public FakeLink Link { get; }

    public OutboundRegistration Registration { get; }

    public void Start() => _run = Registration.RunAsync(TimeSpan.FromSeconds(4), _stop.Token);

    /// <summary>The next REGISTER the registration sends.</summary>
    public async Task<SipRequest> NextRequestAsync()
    {
        var bytes = await Link.Sent.Reader.ReadAsync().AsTask().WaitAsync(Bound);
        var result = SipMessageParser.Parse(bytes);
        Assert.True(result.IsValid, $"{result.Error}: {result.Detail}");
        return Assert.IsType<SipRequest>(result.Message);
    }

    /// <summary>The next published state.</summary>
    public async Task<RegistrationStatus> NextStatusAsync() =>
        await _changes.Reader.ReadAsync().AsTask().WaitAsync(Bound);

    public void Answer(SipRequest request, int status, string reason, params string[] headers) =>
        Respond(request, status, reason, ";received=192.0.2.99", headers);

    /// <summary>
    /// Answers as a registrar behind which we are NATed: it saw the request come from <paramref name="seen"/>
    /// (RFC 3581).
    /// </summary>
    public void AnswerSeenAt(IPEndPoint seen, SipRequest request, int status, string reason, params string[] headers) =>
        Respond(request, status, reason, $";received={seen.Address}", headers, viaRport: seen.Port);

    private void Respond(
        SipRequest request, int status, string reason, string viaParameters, string[] headers, int? viaRport = null)
    {
        var via = request.GetHeader("Via")!;
        if (viaRport is { } port)
        {
            via = via.Replace(";rport", $";rport={port}", StringComparison.Ordinal);
        }

        var text = new StringBuilder()
            .Append($"SIP/2.0 {status} {reason}\r\n")
            .Append($"Via: {via}{viaParameters}\r\n")
            .Append($"From: {request.GetHeader("From")}\r\n")
            .Append($"To: {request.GetHeader("To")};tag=reg1\r\n")
            .Append($"Call-ID: {request.CallId}\r\n")
            .Append($"CSeq: {request.CSeq!.Value.Number} REGISTER\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("Content-Length: 0\r\n\r\n");
        var parsed = SipMessageParser.Parse(Encoding.UTF8.GetBytes(text.ToString()));
        Registration.OnResponse(Assert.IsType<SipResponse>(parsed.Message), Registrar.Address);
    }

    /// <summary>200 OK granting <paramref name="seconds"/> to the Contact that was sent.</summary>
    public void Grant(SipRequest request, int seconds) =>
        Answer(request, 200, "OK", $"Contact: {request.GetHeader("Contact")};expires={seconds}");

    /// <summary>REGISTERs with Expires: 0 seen by <see cref="StopAsync"/>.</summary>
    public int Unregisters { get; private set; }

    /// <summary>Stops the registration, answering its Expires: 0 (if it sends one) with 200.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        while (!_run!.IsCompleted)
        {
            var next = Link.Sent.Reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(_run, next).WaitAsync(Bound) == next && Link.Sent.Reader.TryRead(out var bytes)
                && SipMessageParser.Parse(bytes).Message is SipRequest request && request.GetHeader("Expires") == "0")
            {
                Unregisters++;
                Answer(request, 200, "OK");
            }
        }

        await _run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        _stop.Dispose();
    }

    internal sealed class FakeLink(SipTransport transport) : IRegistrarLink
    {
        public Channel<byte[]> Sent { get; } = Channel.CreateUnbounded<byte[]>();

        public SipTransport Transport { get; } = transport;

        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Parse("198.51.100.5"), 40000);

        public IPEndPoint Remote => Registrar;

        public TaskCompletionSource ClosedSource { get; } = new();

        public Task Closed => ClosedSource.Task;

        /// <summary>CRLF CRLF keep-alives sent (RFC 5626 §4.4.1), not queued in <see cref="Sent"/>.</summary>
        public int KeepAlives => Volatile.Read(ref _keepAlives);

        private int _keepAlives;

        public void Send(ReadOnlyMemory<byte> message)
        {
            if (message.Span.SequenceEqual("\r\n\r\n"u8))
            {
                Interlocked.Increment(ref _keepAlives);
                return;
            }

            Sent.Writer.TryWrite(message.ToArray());
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    internal sealed class CapturingLogger : ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<int> _events = new();

        public IReadOnlyCollection<int> Events => _events;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            _events.Enqueue(eventId.Id);
    }
}
