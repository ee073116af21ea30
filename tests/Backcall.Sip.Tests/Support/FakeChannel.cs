using System.Net;
using Backcall.Sip.Message;
using Backcall.Sip.Processing;
using Microsoft.Extensions.Time.Testing;

namespace Backcall.Sip.Tests.Support;

/// <summary>A channel that records what the stack sends, stamped with the fake clock's time.</summary>
internal sealed class FakeChannel(SipTransport transport, TimeProvider time) : SipChannel
{
    private readonly Lock _lock = new();
    private readonly List<Sent> _sent = [];
    private readonly DateTimeOffset _start = time.GetUtcNow();

    public override SipTransport Transport { get; } = transport;

    public override IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 5060);

    public IReadOnlyList<Sent> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<SipResponse> Responses => All.Select(s => SipText.ParseResponse(s.Bytes)).ToList();

    public override void Send(ReadOnlyMemory<byte> message, IPEndPoint remote)
    {
        lock (_lock)
        {
            _sent.Add(new Sent(message.ToArray(), remote, time.GetUtcNow() - _start));
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _sent.Clear();
        }
    }

    internal sealed record Sent(byte[] Bytes, IPEndPoint Remote, TimeSpan At)
    {
        // Read from the status line only: a 400 echoes the request's malformed headers, which need not parse.
        public int Status => int.Parse(
            System.Text.Encoding.ASCII.GetString(Bytes, 8, 3), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A server wired to a fake clock and fed directly through its processor (no sockets).</summary>
internal sealed class StackHarness : IAsyncDisposable
{
    public StackHarness(TestInviteHandler? handler = null, Action<SipOptions>? configure = null)
    {
        Options = new SipOptions { Endpoints = "udp:127.0.0.1:0" };
        configure?.Invoke(Options);
        Handler = handler ?? new TestInviteHandler();
        Server = new SipServer(Options, Handler, Time);
        Udp = new FakeChannel(SipTransport.Udp, Time);
        Tcp = new FakeChannel(SipTransport.Tcp, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public SipOptions Options { get; }

    public TestInviteHandler Handler { get; }

    public SipServer Server { get; }

    public FakeChannel Udp { get; }

    public FakeChannel Tcp { get; }

    public IPEndPoint Remote { get; set; } = new(IPAddress.Loopback, 5070);

    public void Receive(string text, FakeChannel? channel = null) => Receive(SipText.Bytes(text), channel);

    public void Receive(byte[] bytes, FakeChannel? channel = null) =>
        Server.Processor.Process(channel ?? Udp, Remote, bytes);

    /// <summary>Advances the fake clock in small steps so each timer fires at its own instant.</summary>
    public void Advance(TimeSpan total, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromMilliseconds(50);
        for (var t = TimeSpan.Zero; t < total; t += s)
        {
            Time.Advance(s);
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
