using System.Net;
using Backcall.Sip.Message;

namespace Backcall.Sip.Transactions;

/// <summary>State shared by INVITE and non-INVITE server transactions (RFC 3261 §17.2).</summary>
internal abstract class ServerTransaction(
    TransactionContext context,
    string key,
    SipRequest request,
    Processing.SipChannel channel,
    IPEndPoint destination)
{
    protected readonly Lock Sync = new();

    public string Key { get; } = key;

    /// <summary>The request's Call-ID, kept for logs after the request itself is let go.</summary>
    public string CallId { get; } = request.CallId ?? "";

    public Processing.SipChannel Channel { get; } = channel;

    /// <summary>Where responses go (RFC 3261 §18.2.2 / RFC 3581), fixed when the request arrived.</summary>
    public IPEndPoint Destination { get; } = destination;

    protected TransactionContext Context { get; } = context;

    protected bool IsReliable => Channel.IsReliable;

    /// <summary>The top Via's host (RFC 3261 §18.2.2: where a reliable transport's response may go instead).</summary>
    private string ViaHost { get; } = request.TopVia!.Host;

    /// <summary>The request was received again: answer it as the state machine says.</summary>
    public abstract void OnRetransmission();

    /// <summary>Server shutdown: stop timers, cancel pending work.</summary>
    public abstract void Abort();

    protected void Send(byte[] message) => Channel.SendResponse(message, Destination, ViaHost);

    protected void Remove() => Context.Table.Remove(this);
}
