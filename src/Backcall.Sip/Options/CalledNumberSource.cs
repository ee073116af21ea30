namespace Backcall.Sip;

/// <summary>Where the called (pool) number is read from in an INVITE.</summary>
public enum CalledNumberSource
{
    /// <summary>User part of the Request-URI (what the trunk routed on; default).</summary>
    RequestUri,

    /// <summary>User part of the To header, for trunks that rewrite the Request-URI to a fixed contact.</summary>
    To,
}
