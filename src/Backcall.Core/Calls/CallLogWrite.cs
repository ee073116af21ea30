namespace Backcall.Core.Calls;

/// <summary>When <see cref="CallService"/> answers relative to the write of a call's call-log row.</summary>
public enum CallLogWrite
{
    /// <summary>
    /// After the row and everything the call changed are durable (the PBX endpoint: it reports the outcome).
    /// </summary>
    Durable = 0,

    /// <summary>
    /// A confirmation as <see cref="Durable"/>; any other call at once, its row written behind (SIP: the 486 says
    /// nothing of the outcome, so only what an app is told must be durable before it).
    /// </summary>
    BehindUnlessConfirming = 1,
}
