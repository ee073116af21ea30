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

    public SipRequest Request { get; } = request;

    public Processing.SipChannel Channel { get; } = channel;

    /// <summary>Where responses go (RFC 3261 §18.2.2 / RFC 3581), fixed when the request arrived.</summary>
    public IPEndPoint Destination { get; } = destination;

    protected TransactionContext Context { get; } = context;

    protected bool IsReliable => Channel.IsReliable;

    /// <summary>The request was received again: answer it as the state machine says.</summary>
    public abstract void OnRetransmission();

    /// <summary>Server shutdown: stop timers, cancel pending work.</summary>
    public abstract void Abort();

    protected void Send(byte[] message) => Channel.SendResponse(message, Destination, Request.TopVia!.Host);

    protected void Remove() => Context.Table.Remove(this);
}
